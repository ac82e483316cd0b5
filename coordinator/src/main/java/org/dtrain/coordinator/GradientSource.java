package org.dtrain.coordinator;

import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Parameters;

/**
 * Where a step's gradient comes from: the sum over every shard's rows of that step, reduced in the
 * fixed shard tree. The training loop is written once against this; the local source computes the
 * shards in this thread, the cluster source asks worker actors.
 */
public interface GradientSource extends AutoCloseable {
  /**
   * @param weights the step's weights; never written by the source
   * @param grad overwritten with the gradient sum of all shards
   * @return the combined sample count, loss sum and correct count
   */
  BatchStats gradientSum(Parameters weights, long epoch, int stepInEpoch, Parameters grad);

  @Override
  default void close() {}
}
