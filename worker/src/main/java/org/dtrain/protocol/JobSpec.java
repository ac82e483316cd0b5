package org.dtrain.protocol;

import org.dtrain.nn.ModelSpec;

/**
 * coordinator -> worker: what to compute. Workers apply no optimizer: they need the model, how to
 * sample, and the shard count S for the reduction tree.
 */
public record JobSpec(Header header, ModelSpec spec, long seed, int shards, int stepsPerEpoch,
    boolean fullBatch, int features, int outputs) implements Message {}
