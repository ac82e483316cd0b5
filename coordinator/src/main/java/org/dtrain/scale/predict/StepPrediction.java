package org.dtrain.scale.predict;

/**
 * The predicted time of one step and where it goes. {@code computeNanos}, {@code reduceNanos},
 * {@code broadcastNanos} and {@code idlePct} mean what dtrain's metrics columns of the same names
 * mean ({@code StepTimes}, {@code EpochMetrics}), so predicted and measured rows compare column by
 * column; like those, they are CPU times of particular actors, may overlap, and do not add up to
 * the step. {@link #timeline} splits the step's wall time into phases that do.
 *
 * @param activeWorkers min(K, S): the workers that had shards
 * @param stepNanos wall time from the coordinator starting the step (copying the weights) to the
 *     end of the optimizer update (with worker processes, or to the end of the JVMs' background
 *     work of the step, if that is later): the period of the training loop
 * @param computeNanos the slowest worker's compute: its shards' forward and backward passes
 *     (including waiting for a core when cores are shared) and its local tree additions
 * @param reduceNanos coordinator CPU time taking in the partials (NaN check and copy into the tree),
 *     adding them in the tree, dividing and applying the optimizer; per-message overhead excluded
 * @param broadcastNanos the coordinator's copy of the weights plus the slowest worker's time
 *     writing the weight pieces into its buffer; per-message overhead and network time excluded
 * @param idlePct 100 (1 - mean worker compute / step): share of the step a worker, on average, did
 *     not compute
 * @param workerReduceNanos tree reduction only: the longest time a worker spent taking in and adding
 *     its children's partials (0 for star)
 * @param coordinatorMessages message pieces the coordinator sent and received
 * @param coordinatorBytes wire bytes the coordinator sent and received
 * @param totalBytes wire bytes on all links
 */
public record StepPrediction(StepConfig config, int activeWorkers, long stepNanos,
    long computeNanos, long reduceNanos, long broadcastNanos, double idlePct,
    long workerReduceNanos, Timeline timeline, long coordinatorMessages, long coordinatorBytes,
    long totalBytes) {

  /**
   * The step's wall time in three consecutive phases: broadcast [0, weightsIn), compute
   * [weightsIn, computeDone), reduce [computeDone, step). Network time lies in the broadcast and
   * reduce phases.
   *
   * @param weightsInNanos when the last worker held all its weights
   * @param computeDoneNanos when the last worker finished computing
   * @param stepNanos when the optimizer update ended (or the step's background work, if later)
   */
  public record Timeline(long weightsInNanos, long computeDoneNanos, long stepNanos) {
    public long broadcastPhaseNanos() {
      return weightsInNanos;
    }

    public long computePhaseNanos() {
      return computeDoneNanos - weightsInNanos;
    }

    public long reducePhaseNanos() {
      return stepNanos - computeDoneNanos;
    }
  }

  public double stepMs() {
    return stepNanos / 1e6;
  }

  /** B / step time: training rows per second. */
  public double samplesPerSecond() {
    return config.globalBatch() / (stepNanos / 1e9);
  }
}
