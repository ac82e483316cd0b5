package org.dtrain.protocol;

import org.dtrain.nn.ModelSpec;

/**
 * coordinator -> worker: what to compute. Workers apply no optimizer: they need the model, how to
 * sample, and the shard count S for the reduction tree.
 *
 * @param link where to open the data link for the tensors; null: everything goes over Artery
 */
public record JobSpec(Header header, ModelSpec spec, long seed, int shards, int stepsPerEpoch,
    boolean fullBatch, int features, int outputs, DataLinkOffer link) implements Message {
  public JobSpec(Header header, ModelSpec spec, long seed, int shards, int stepsPerEpoch,
      boolean fullBatch, int features, int outputs) {
    this(header, spec, seed, shards, stepsPerEpoch, fullBatch, features, outputs, null);
  }

  /** The same job with a data link offer (the coordinator makes one per worker). */
  public JobSpec withLink(DataLinkOffer offer) {
    return new JobSpec(header, spec, seed, shards, stepsPerEpoch, fullBatch, features, outputs,
        offer);
  }
}
