package org.dtrain.coordinator;

import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Parameters;

/**
 * Gradients computed in the caller's thread: the sum over every shard's rows of a step, reduced in the
 * fixed shard tree. {@link TrainingLoop#run(GradientSource)} drives it; a cluster is driven by the
 * coordinator actor instead.
 */
public interface GradientSource extends AutoCloseable {
  /** The root of the shard tree and the combined statistics; the sum is the source's buffer. */
  record Sum(Parameters gradient, BatchStats stats) {}

  /** @param weights the step's weights; never written by the source */
  Sum gradientSum(Parameters weights, long epoch, int stepInEpoch);

  @Override
  default void close() {}
}
