package org.dtrain.coordinator;

/**
 * Where one step's time went, as the coordinator sees it.
 *
 * @param computeNanos the slowest worker's forward/backward passes and local adds
 * @param reduceNanos coordinator time taking in gradient partials and adding them in the tree (the
 *     training loop adds its divide and optimizer time)
 * @param broadcastNanos coordinator time cutting and sending the weights, plus the slowest worker's
 *     time assembling them
 * @param busyFraction the workers' mean compute time over the step's wall time (1 = never idle)
 */
public record StepTimes(long computeNanos, long reduceNanos, long broadcastNanos,
    double busyFraction) {

  /** A step computed in the caller's thread: all compute, nothing waits. */
  public static StepTimes local(long computeNanos) {
    return new StepTimes(computeNanos, 0, 0, 1.0);
  }
}
