package org.dtrain.scale.predict;

/**
 * A configuration as dtrain measured it ({@code dtrain scale}'s results.csv columns): the median
 * step time and the mean breakdown per step. Unknown values are NaN.
 *
 * @param stepMsP50 step_ms_p50: the median step wall time, ms
 * @param computeMs compute_ms: the slowest worker's compute per step, ms
 * @param reduceMs reduce_ms: coordinator time adding partials, dividing and updating, ms
 * @param broadcastMs broadcast_ms: time copying, sending and assembling the weights, ms
 */
public record MeasuredStep(StepConfig config, double stepMsP50, double computeMs, double reduceMs,
    double broadcastMs) {
  public MeasuredStep {
    if (config == null) throw new IllegalArgumentException("expected a configuration, found null");
    if (!(stepMsP50 > 0) || Double.isInfinite(stepMsP50)) {
      throw new IllegalArgumentException("expected a measured step time > 0 ms, found " + stepMsP50);
    }
  }

  /** Only the step time is known. */
  public static MeasuredStep ofStep(StepConfig config, double stepMsP50) {
    return new MeasuredStep(config, stepMsP50, Double.NaN, Double.NaN, Double.NaN);
  }
}
