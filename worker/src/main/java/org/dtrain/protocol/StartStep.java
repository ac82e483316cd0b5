package org.dtrain.protocol;

import java.util.List;

/**
 * coordinator -> worker: one chunk of the step's weights (the flat {@code Parameters} layout), and the
 * shards the worker is to compute (every chunk repeats them). The worker starts the step when every
 * chunk is in; a listed shard it does not host gets a {@link StepFailed}.
 *
 * @param reduction null: send the partials to the coordinator (star); else this worker's place in the
 *     step's reduction tree of workers ({@code --reduction tree}). A StartStep without one for a step
 *     the worker holds tree state for turns that step into a star step on this worker (see
 *     {@code WorkerSession})
 */
public record StartStep(Header header, long epoch, int stepInEpoch, List<Integer> shards,
    FloatChunk weights, ReductionTarget reduction) implements Message {
  public StartStep {
    shards = List.copyOf(shards);
  }

  /** A step of star reduction: the partials go to the coordinator. */
  public StartStep(Header header, long epoch, int stepInEpoch, List<Integer> shards,
      FloatChunk weights) {
    this(header, epoch, stepInEpoch, shards, weights, null);
  }

  /** The same step with another chunk of the weights. */
  public StartStep withWeights(FloatChunk c) {
    return new StartStep(header, epoch, stepInEpoch, shards, c, reduction);
  }

  /** The same step with another reduction target. */
  public StartStep withReduction(ReductionTarget r) {
    return new StartStep(header, epoch, stepInEpoch, shards, weights, r);
  }
}
