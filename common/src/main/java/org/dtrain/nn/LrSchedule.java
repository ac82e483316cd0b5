package org.dtrain.nn;

/**
 * The learning rate at each update, from a base rate α.
 *
 * <ul>
 *   <li>constant: α.
 *   <li>step: α γ^floor(t / every) (defaults: γ = 0.1, every = a third of the steps).
 *   <li>cosine: α ½ (1 + cos(π t / T)) over the T training steps (Loshchilov and Hutter 2017).
 * </ul>
 * Linear warmup over N steps multiplies any of them by (t + 1) / N while t &lt; N (Goyal et al. 2017).
 * t counts updates from 0.
 */
public record LrSchedule(Kind kind, float baseLr, long totalSteps, long warmupSteps, long stepEvery,
    float gamma) {

  public enum Kind { CONSTANT, STEP, COSINE }

  public static final String ALLOWED = "constant, step, cosine";

  public LrSchedule {
    if (!(baseLr > 0f) || Float.isInfinite(baseLr)) {
      throw new IllegalArgumentException("--lr must be a positive number, found " + baseLr);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("--warmup-steps must be >= 0, found " + warmupSteps);
    }
    if (!(gamma > 0f && gamma <= 1f)) {
      throw new IllegalArgumentException("--lr-gamma must be in (0, 1], found " + gamma);
    }
  }

  public static LrSchedule constant(float lr) {
    return new LrSchedule(Kind.CONSTANT, lr, 0, 0, 0, 1f);
  }

  public static Kind parseKind(String text) {
    return Names.parse(Kind.class, text, "learning-rate schedule", ALLOWED);
  }


  public float at(long t) {
    double lr = switch (kind) {
      case CONSTANT -> baseLr;
      case STEP -> {
        long every = stepEvery > 0 ? stepEvery : Math.max(1, totalSteps / 3);
        yield baseLr * Math.pow(gamma, t / every);
      }
      case COSINE -> totalSteps <= 0 ? baseLr
          : baseLr * 0.5 * (1 + Math.cos(Math.PI * Math.min(t, totalSteps) / totalSteps));
    };
    if (t < warmupSteps) {
      lr *= (t + 1.0) / warmupSteps;
    }
    return (float) lr;
  }
}
