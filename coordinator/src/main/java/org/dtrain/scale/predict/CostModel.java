package org.dtrain.scale.predict;

/**
 * Everything the step model charges for work: the measured profile and the two calibrated numbers
 * ({@link Calibration}).
 *
 * @param profile c(r) and the per-float costs, timed on this machine
 * @param computeScale κ: the shard compute time in a running job over the profile's c(r) (threads
 *     sharing caches and memory bandwidth, JIT and GC state); 1 when not calibrated
 * @param messageOverheadNanos o: CPU time per message piece at each end (the sender's tell or
 *     serialization, the receiver's dispatch or deserialization), in nanoseconds
 * @param stepOverheadNanos s: coordinator time once per step that no message or float count
 *     explains (thread wake-ups, bookkeeping, status), in nanoseconds; 0 when not calibrated
 */
public record CostModel(ComputeProfile profile, double computeScale, double messageOverheadNanos,
    double stepOverheadNanos) {
  public CostModel {
    if (profile == null) throw new IllegalArgumentException("expected a profile, found null");
    if (!(computeScale > 0) || Double.isInfinite(computeScale)) {
      throw new IllegalArgumentException("expected a compute scale > 0, found " + computeScale);
    }
    if (!(messageOverheadNanos >= 0) || Double.isInfinite(messageOverheadNanos)) {
      throw new IllegalArgumentException("expected a message overhead >= 0 ns, found "
          + messageOverheadNanos);
    }
    if (!(stepOverheadNanos >= 0) || Double.isInfinite(stepOverheadNanos)) {
      throw new IllegalArgumentException("expected a step overhead >= 0 ns, found "
          + stepOverheadNanos);
    }
  }

  /** κ and o, no per-step overhead. */
  public CostModel(ComputeProfile profile, double computeScale, double messageOverheadNanos) {
    this(profile, computeScale, messageOverheadNanos, 0);
  }

  /** The profile as measured: κ = 1, o = 0. */
  public static CostModel uncalibrated(ComputeProfile profile) {
    return new CostModel(profile, 1, 0);
  }

  public CostModel withComputeScale(double kappa) {
    return new CostModel(profile, kappa, messageOverheadNanos, stepOverheadNanos);
  }

  public CostModel withMessageOverhead(double nanos) {
    return new CostModel(profile, computeScale, nanos, stepOverheadNanos);
  }

  public CostModel withStepOverhead(double nanos) {
    return new CostModel(profile, computeScale, messageOverheadNanos, nanos);
  }
}
