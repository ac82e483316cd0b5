package org.dtrain.protocol;

import java.util.List;

/**
 * coordinator -> worker: one chunk of the step's weights (the flat {@code Parameters} layout), and the
 * shards the worker is to compute (every chunk repeats them). The worker starts the step when every
 * chunk is in; a listed shard it does not host gets a {@link StepFailed}.
 */
public record StartStep(Header header, long epoch, int stepInEpoch, List<Integer> shards,
    FloatChunk weights) implements Message {
  public StartStep {
    shards = List.copyOf(shards);
  }
}
