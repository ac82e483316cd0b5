package org.dtrain.worker;

import org.dtrain.data.EpochSampler;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.InputColumns;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Network;
import org.dtrain.nn.Parameters;
import org.dtrain.nn.Workspace;

/**
 * Computes one shard's contribution to a step: the gradient sum over the shard's rows of that step,
 * with the loss sum and correct count. Deterministic: the same weights, shard and step give the same
 * bits wherever it runs. Not thread-safe (one workspace); one runner per shard.
 *
 * <p>When some input columns are 0 in every row of the shard, the runner keeps a copy of the rows
 * narrowed to the used columns, and steps of {@link InputColumns#MIN_ROWS} rows or more run the first
 * layer over those only ({@link InputColumns}; a function of the shard's rows, so still the same bits
 * wherever it runs).
 */
public final class StepRunner {
  private final ShardData data;
  private final Network network;
  private final EpochSampler sampler;
  private final Workspace workspace;
  private final InputColumns columns; // the input columns the shard's rows use
  private final float[] narrowX;      // (rows, columns.used()), or null when every column is used

  public StepRunner(ModelSpec spec, ShardData data, long seed, int stepsPerEpoch, boolean fullBatch) {
    this.data = data;
    this.network = new Network(spec);
    this.sampler = new EpochSampler(seed, data.shard(), data.rows(), stepsPerEpoch, fullBatch);
    this.workspace = new Workspace(spec,
        Math.max(1, EpochSampler.maxRowsPerStep(data.rows(), stepsPerEpoch)));
    this.columns = InputColumns.of(data.x(), data.rows(), data.features());
    // The narrowed copy costs memory (up to the shard's features again) only when some step can
    // use it, and saves the first layer's products the unused columns' share.
    this.narrowX = columns.narrows(workspace.capacity())
        ? columns.narrow(data.x(), data.rows())
        : null;
  }

  public ShardData data() {
    return data;
  }

  public int shard() {
    return data.shard();
  }

  /**
   * @param grad overwritten with the shard's gradient sum for this step
   */
  public BatchStats run(Parameters weights, long epoch, int stepInEpoch, Parameters grad) {
    EpochSampler.Slice s = sampler.rowsFor(epoch, stepInEpoch);
    if (s.count() == 0) {
      grad.clear();
      return BatchStats.EMPTY;
    }
    if (narrowX != null && columns.narrows(s.count())) {
      workspace.gather(columns, narrowX, data.y(), s.rows(), s.from(), s.count());
    } else {
      workspace.gather(data.x(), data.y(), s.rows(), s.from(), s.count());
    }
    return network.gradientSum(weights, workspace, s.count(), grad);
  }
}
