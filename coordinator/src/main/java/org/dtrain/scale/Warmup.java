package org.dtrain.scale;

/**
 * How many steps each configuration of a scaling experiment runs before it is measured
 * ({@code dtrain scale --warmup}). Every configuration warms up the same number of steps, so that
 * the rows of one global batch train the very same weights.
 *
 * <p>The JIT keeps compiling for the first few hundred steps of a small model: with 5 warm-up steps
 * the 2-worker MNIST step at batch 256 measured 7.3-8.3 ms, with 200 it measured 6.4-6.5 ms
 * (docs/SCALING.md, "Warm-up"). {@link #auto} therefore warms up for about {@link #AUTO_SECONDS}
 * of steps, which for a large model is a few steps and for a small one a few hundred.
 */
public final class Warmup {
  /** About how long {@code auto} warms up each configuration. */
  public static final double AUTO_SECONDS = 2;
  /** The fewest and the most warm-up steps {@code auto} picks. */
  public static final long AUTO_MIN_STEPS = 5;
  public static final long AUTO_MAX_STEPS = 300;

  private Warmup() {}

  /**
   * Parses {@code --warmup}: a number of steps (0 or more), or {@code auto}.
   *
   * @return the steps, or -1 for auto
   */
  public static long parse(String text) {
    if (text.trim().equalsIgnoreCase("auto")) return -1;
    try {
      long n = Long.parseLong(text.trim());
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException("--warmup: expected a number of steps (0 or more) or auto, "
        + "found " + text);
  }

  /**
   * The warm-up steps of {@code auto}: as many as take {@link #AUTO_SECONDS} at {@code stepMs} per
   * step, within [{@link #AUTO_MIN_STEPS}, {@link #AUTO_MAX_STEPS}].
   *
   * @param stepMs a step's time in ms, e.g. the median of the JVM's warm-up run (not yet compiled,
   *     so rather too long than too short); not positive or NaN gives the most steps
   */
  public static long auto(double stepMs) {
    if (!(stepMs > 0)) return AUTO_MAX_STEPS;
    double steps = Math.ceil(AUTO_SECONDS * 1000 / stepMs);
    return (long) Math.max(AUTO_MIN_STEPS, Math.min(AUTO_MAX_STEPS, steps));
  }
}
