package org.dtrain.scale.predict;

import java.util.function.DoubleUnaryOperator;

/**
 * Fits what cannot be timed alone, from ONE measured configuration; every other configuration is
 * then predicted, not fitted. The measured run's background CPU per JVM (JIT compilers, GC), when
 * it was measured, goes into the costs as it is, before anything is fitted. Two numbers are fitted,
 * in this order:
 * <ol>
 *   <li>κ, the compute scale: chosen so that the predicted compute (the slowest worker's) equals
 *       the measured compute_ms. It carries what a running job adds to the profile's
 *       single-threaded c(r): threads sharing caches and memory bandwidth, the JIT and GC state of a
 *       long run. Left at 1 when compute_ms is unknown.
 *   <li>o, the per-piece message overhead: chosen so that the predicted step equals the measured
 *       median step. It carries everything per message the profile does not time: the tell or
 *       serialization at the sender, the dispatch or deserialization and thread wake-up at the
 *       receiver, status updates. Found by bisection (the step grows with o).
 * </ol>
 * When even o = 0 predicts a longer step than measured, o stays 0 and {@link #unexplainedMs} is
 * negative: the profile's costs are too high for that run. Likewise κ stays within [0.001, 1000],
 * and {@link #unexplainedComputeMs} shows what it could not fit. Calibrate once per transport (one JVM,
 * processes, data links): o differs between them.
 *
 * @param costs the profile with the fitted κ and o
 * @param on the measured configuration
 * @param fitted the prediction of that configuration with {@code costs}
 * @param unexplainedMs measured minus predicted step time after the fit, ms (0 when o fits exactly)
 * @param unexplainedComputeMs measured minus predicted compute after the fit, ms (0 when κ fits
 *     exactly; NaN when compute_ms was not given)
 */
public record Calibration(CostModel costs, MeasuredStep on, StepPrediction fitted,
    double unexplainedMs, double unexplainedComputeMs) {
  /** Enough for {@link #predict}'s fixed point: each round shrinks the change by the background's share. */
  private static final int MAX_ITERATIONS = 50;

  /** Above this share of the machine, the background is not charged as a rate ({@link #predict}). */
  static final double MAX_BACKGROUND_SHARE = 0.5;

  /** Fits κ, then o, to {@code measured}. */
  public static Calibration fit(ComputeProfile profile, MeasuredStep measured) {
    return fit(measured.withBackground(CostModel.uncalibrated(profile)), measured,
        CostModel::withMessageOverhead);
  }

  /**
   * Fits κ, then the per-step overhead s, to {@code measured}, with the per-piece message overhead o
   * given (timed, not fitted): the unexplained time of one run goes to a cost paid once per step,
   * not to a cost that grows with the number of messages, so that predictions far from the
   * calibration's worker count do not multiply one run's noise by K.
   */
  public static Calibration fitStepOverhead(ComputeProfile profile, double messageOverheadNanos,
      MeasuredStep measured) {
    return fit(measured.withBackground(CostModel.uncalibrated(profile))
        .withMessageOverhead(messageOverheadNanos), measured, CostModel::withStepOverhead);
  }

  /**
   * Fits κ on {@code start}, then the last cost (o or s, set by {@code last}) so that the predicted
   * step equals the measured one.
   */
  private static Calibration fit(CostModel start, MeasuredStep measured,
      java.util.function.BiFunction<CostModel, Double, CostModel> last) {
    StepConfig cfg = measured.config();
    CostModel costs = start;
    double computeNanos = measured.computeMs() * 1e6;
    if (computeNanos > 0 && Double.isFinite(computeNanos)) {
      double kappa = solve(x -> new StepModel(start.withComputeScale(x)).predict(cfg).computeNanos(),
          computeNanos, 1e-3, 1e3);
      costs = costs.withComputeScale(kappa);
    }
    CostModel withKappa = costs;
    double stepNanos = measured.stepMsP50() * 1e6;
    double x = solve(v -> new StepModel(last.apply(withKappa, v)).predict(cfg).stepNanos(),
        stepNanos, 0, stepNanos);
    costs = last.apply(costs, x);
    StepPrediction fitted = new StepModel(costs).predict(cfg);
    return new Calibration(costs, measured, fitted, (stepNanos - fitted.stepNanos()) / 1e6,
        (computeNanos - fitted.computeNanos()) / 1e6);
  }

  /**
   * The model with the fitted costs, the background charged per step as measured; {@link #predict}
   * charges it per millisecond of step instead, as validation does.
   */
  public StepModel model() {
    return new StepModel(costs);
  }

  /**
   * Predicts {@code cfg} with the fitted costs. With worker processes the JVMs' background CPU
   * (measured per step of the calibration run) is charged as a rate: per millisecond of the
   * predicted step, as much as the calibration run spent per millisecond of its step. A shorter
   * step carries less of it; the step and its background are found together, by fixed-point
   * iteration. The runs back this: at batch 1024 the worker JVMs spent 0.7-3.3 ms per step beside
   * one worker (18 ms steps) and 0.8-2.0 beside two (11-13 ms), about 0.10 ms per ms in both, and
   * the per-step charge over-predicted two workers by up to 14% (docs/SCALING.md).
   */
  public StepPrediction predict(StepConfig cfg) {
    StepPrediction p = model().predict(cfg);
    double calibrationNanos = on.stepMsP50() * 1e6;
    double bc = costs.coordinatorBackgroundNanos();
    double bw = costs.workerBackgroundNanos();
    if (bc + bw == 0 || !(calibrationNanos > 0) || Double.isInfinite(calibrationNanos)
        || cfg.placement().kind() != Placement.Kind.PROCESSES) {
      return p;
    }
    // The share of the machine the JVMs' background takes at the calibration's rate. Each round
    // changes the step by about this share of the last change, so below 1 the rounds converge;
    // at or above it (a few steps of a tiny model, say) the rate would feed on itself: then the
    // background is charged per step as measured.
    double share = (bc + cfg.workers() * bw) / (cfg.placement().cores() * calibrationNanos);
    if (share >= MAX_BACKGROUND_SHARE) return p;
    StepPrediction perStep = p;
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      double perCalibrationStep = p.stepNanos() / calibrationNanos;
      StepPrediction next = new StepModel(costs.withBackground(bc * perCalibrationStep,
          bw * perCalibrationStep)).predict(cfg);
      boolean settled = Math.abs(next.stepNanos() - p.stepNanos()) <= 1e-4 * p.stepNanos();
      p = next;
      if (settled) return p;
    }
    return perStep; // no fixed point within the rounds
  }

  /**
   * The x in [lo, hi] where the non-decreasing f reaches target: lo when f(lo) is already above,
   * hi when f(hi) is still below; else to within a millionth (relative) by bisection.
   */
  static double solve(DoubleUnaryOperator f, double target, double lo, double hi) {
    if (f.applyAsDouble(lo) >= target) return lo;
    if (f.applyAsDouble(hi) <= target) return hi;
    for (int i = 0; i < 100 && hi - lo > 1e-6 * Math.max(1e-3, hi); i++) {
      double mid = (lo + hi) / 2;
      if (f.applyAsDouble(mid) < target) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  }
}
