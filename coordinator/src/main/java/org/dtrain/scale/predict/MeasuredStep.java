package org.dtrain.scale.predict;

/**
 * A configuration as dtrain measured it ({@code dtrain scale}'s results.csv columns): the median
 * step time and the mean breakdown per step, and the CPU the JVMs' other threads took per step.
 * Unknown values are NaN.
 *
 * @param stepMsP50 step_ms_p50: the median step wall time, ms
 * @param computeMs compute_ms: the slowest worker's compute per step, ms
 * @param reduceMs reduce_ms: coordinator time adding partials, dividing and updating, ms
 * @param broadcastMs broadcast_ms: time copying, sending and assembling the weights, ms
 * @param coordinatorBackgroundMs CPU per measured step of the coordinator JVM's threads other than
 *     the step's own (JIT compilers, garbage collector, Akka's), ms; in one JVM, of that JVM
 * @param workerBackgroundMs the same for a worker JVM (the mean over the worker processes), ms;
 *     NaN in one JVM
 */
public record MeasuredStep(StepConfig config, double stepMsP50, double computeMs, double reduceMs,
    double broadcastMs, double coordinatorBackgroundMs, double workerBackgroundMs) {
  public MeasuredStep {
    if (config == null) throw new IllegalArgumentException("expected a configuration, found null");
    if (!(stepMsP50 > 0) || Double.isInfinite(stepMsP50)) {
      throw new IllegalArgumentException("expected a measured step time > 0 ms, found " + stepMsP50);
    }
  }

  /** Without the background threads' CPU. */
  public MeasuredStep(StepConfig config, double stepMsP50, double computeMs, double reduceMs,
      double broadcastMs) {
    this(config, stepMsP50, computeMs, reduceMs, broadcastMs, Double.NaN, Double.NaN);
  }

  /** Only the step time is known. */
  public static MeasuredStep ofStep(StepConfig config, double stepMsP50) {
    return new MeasuredStep(config, stepMsP50, Double.NaN, Double.NaN, Double.NaN);
  }

  /** {@code costs} with this run's background CPU per step (0 where unknown or negative). */
  CostModel withBackground(CostModel costs) {
    return costs.withBackground(nanos(coordinatorBackgroundMs), nanos(workerBackgroundMs));
  }

  private static double nanos(double ms) {
    return ms > 0 && Double.isFinite(ms) ? ms * 1e6 : 0;
  }
}
