package org.dtrain.scale.predict;

/**
 * Everything the step model charges for work: the measured profile, the two calibrated numbers
 * ({@link Calibration}) and the CPU the JVMs' other threads take per step.
 *
 * @param profile c(r) and the per-float costs, timed on this machine
 * @param computeScale κ: the shard compute time in a running job over the profile's c(r) (threads
 *     sharing caches and memory bandwidth, JIT and GC state); 1 when not calibrated
 * @param messageOverheadNanos o: CPU time per message piece at each end (the sender's tell or
 *     serialization, the receiver's dispatch or deserialization), in nanoseconds
 * @param stepOverheadNanos s: coordinator time once per step that no message or float count
 *     explains (thread wake-ups, bookkeeping, status), in nanoseconds; 0 when not calibrated
 * @param coordinatorBackgroundNanos b_c: CPU time per step of the coordinator JVM's threads that
 *     are not the step's (JIT compilers, garbage collector, Akka's own threads), as measured.
 *     Charged only for worker processes ({@link Placement.Kind#PROCESSES}), whose JVMs share the
 *     machine's cores with the coordinator's
 * @param workerBackgroundNanos b_w: the same for each worker JVM, charged once per worker process
 *     ({@link Placement.Kind#PROCESSES} only)
 */
public record CostModel(ComputeProfile profile, double computeScale, double messageOverheadNanos,
    double stepOverheadNanos, double coordinatorBackgroundNanos, double workerBackgroundNanos) {
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
    if (!(coordinatorBackgroundNanos >= 0) || Double.isInfinite(coordinatorBackgroundNanos)
        || !(workerBackgroundNanos >= 0) || Double.isInfinite(workerBackgroundNanos)) {
      throw new IllegalArgumentException("expected background CPU >= 0 ns, found "
          + coordinatorBackgroundNanos + " and " + workerBackgroundNanos);
    }
  }

  /** κ, o and s, no background threads. */
  public CostModel(ComputeProfile profile, double computeScale, double messageOverheadNanos,
      double stepOverheadNanos) {
    this(profile, computeScale, messageOverheadNanos, stepOverheadNanos, 0, 0);
  }

  /** κ and o, no per-step overhead, no background threads. */
  public CostModel(ComputeProfile profile, double computeScale, double messageOverheadNanos) {
    this(profile, computeScale, messageOverheadNanos, 0);
  }

  /** The profile as measured: κ = 1, o = 0. */
  public static CostModel uncalibrated(ComputeProfile profile) {
    return new CostModel(profile, 1, 0);
  }

  public CostModel withComputeScale(double kappa) {
    return new CostModel(profile, kappa, messageOverheadNanos, stepOverheadNanos,
        coordinatorBackgroundNanos, workerBackgroundNanos);
  }

  public CostModel withMessageOverhead(double nanos) {
    return new CostModel(profile, computeScale, nanos, stepOverheadNanos,
        coordinatorBackgroundNanos, workerBackgroundNanos);
  }

  public CostModel withStepOverhead(double nanos) {
    return new CostModel(profile, computeScale, messageOverheadNanos, nanos,
        coordinatorBackgroundNanos, workerBackgroundNanos);
  }

  /** b_c and b_w: the CPU per step of the coordinator's and of each worker's JVM beside the step. */
  public CostModel withBackground(double coordinatorNanos, double workerNanos) {
    return new CostModel(profile, computeScale, messageOverheadNanos, stepOverheadNanos,
        coordinatorNanos, workerNanos);
  }
}
