package org.dtrain.chart;

/**
 * One axis: the range it covers, its ticks with their labels, and the map from a data value to a
 * fraction of the axis length. Linear axes end on "nice" ticks, steps of 1, 2 or 5 times a power
 * of ten, so a range 0..0.93 becomes 0..1 with ticks every 0.2; log axes end on powers of the base.
 * A degenerate range (one value, or none) is padded, so every axis has a length.
 */
final class AxisScale {
  /** At most about this many intervals between ticks on a linear axis. */
  static final int TARGET_INTERVALS = 6;

  /** 0 for a linear axis, else 2 or 10. */
  private final int base;
  /** The ends, in the axis's own space: values on a linear axis, exponents on a log axis. */
  private final double lo;
  private final double hi;
  private final double[] ticks;
  private final String[] labels;

  private AxisScale(int base, double lo, double hi, double[] ticks, String[] labels) {
    this.base = base;
    this.lo = lo;
    this.hi = hi;
    this.ticks = ticks;
    this.labels = labels;
  }

  /**
   * A linear axis covering {@code min..max} (the data's extent), widened to nice ticks. No range
   * (min &gt; max, e.g. no data) becomes 0..1; a single value v becomes v ± 10% (±1 for zero).
   */
  static AxisScale linear(double min, double max) {
    if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max)) {
      min = 0;
      max = 1;
    }
    double magnitude = Math.max(Math.abs(min), Math.abs(max));
    if (max - min <= magnitude * 1e-9) {
      double mid = (min + max) / 2;
      double pad = mid == 0 ? 1 : Math.abs(mid) * 0.1;
      min = mid - pad;
      max = mid + pad;
    }
    double rough = (max - min) / TARGET_INTERVALS;
    int e = (int) Math.floor(Math.log10(rough));
    double f = rough / Math.pow(10, e);
    int m;
    if (f <= 1 + 1e-9) {
      m = 1;
    } else if (f <= 2 + 1e-9) {
      m = 2;
    } else if (f <= 5 + 1e-9) {
      m = 5;
    } else {
      m = 1;
      e++;
    }
    double step = value(1, m, e);
    long kLo = (long) Math.floor(min / step + 1e-9);
    long kHi = (long) Math.ceil(max / step - 1e-9);
    int n = (int) (kHi - kLo + 1);
    double[] ticks = new double[n];
    String[] labels = new String[n];
    double largest = Math.max(Math.abs(value(kLo, m, e)), Math.abs(value(kHi, m, e)));
    for (int i = 0; i < n; i++) {
      ticks[i] = value(kLo + i, m, e);
      labels[i] = Labels.linearTick(kLo + i, m, e, largest);
    }
    return new AxisScale(0, ticks[0], ticks[n - 1], ticks, labels);
  }

  /**
   * A log axis covering {@code min..max} (the extent of the data's positive values), widened to
   * powers of {@code base} (2 or 10); with no range it covers base^0..base^1. Ticks at every power,
   * or every second, third... when there would be more than 12.
   */
  static AxisScale log(int base, double min, double max) {
    if (base != 2 && base != 10) {
      throw new IllegalArgumentException("log axes have base 2 or 10, not " + base);
    }
    if (!(min <= max) || !(min > 0) || !Double.isFinite(max)) {
      min = 1;
      max = 1;
    }
    int eLo = (int) Math.floor(log(base, min) + 1e-9);
    int eHi = (int) Math.ceil(log(base, max) - 1e-9);
    if (eHi == eLo) {
      eHi++;
    }
    int stride = (eHi - eLo + 11) / 12;
    eLo = Math.floorDiv(eLo, stride) * stride;
    eHi = -Math.floorDiv(-eHi, stride) * stride;
    int n = (eHi - eLo) / stride + 1;
    double[] ticks = new double[n];
    String[] labels = new String[n];
    for (int i = 0; i < n; i++) {
      int exponent = eLo + i * stride;
      ticks[i] = Math.pow(base, exponent);
      labels[i] = Labels.power(base, exponent);
    }
    return new AxisScale(base, eLo, eHi, ticks, labels);
  }

  /** An axis of the given kind over {@code min..max}; see {@link #linear} and {@link #log}. */
  static AxisScale of(LineChart.Scale scale, double min, double max) {
    return switch (scale) {
      case LINEAR -> linear(min, max);
      case LOG2 -> log(2, min, max);
      case LOG10 -> log(10, min, max);
    };
  }

  /** Whether {@code v} can be placed on this axis: finite, and positive on a log axis. */
  boolean accepts(double v) {
    return Double.isFinite(v) && (base == 0 || v > 0);
  }

  /** Where {@code v} lies, 0 at the low end and 1 at the high end; NaN if not {@link #accepts}. */
  double fraction(double v) {
    if (!accepts(v)) {
      return Double.NaN;
    }
    double t = base == 0 ? v : log(base, v);
    return (t - lo) / (hi - lo);
  }

  /** The tick values, ascending, the first and last at the ends of the axis. */
  double[] ticks() {
    return ticks.clone();
  }

  /** The tick labels, in the order of {@link #ticks()}. */
  String[] labels() {
    return labels.clone();
  }

  /** The value at the low end. */
  double min() {
    return ticks[0];
  }

  /** The value at the high end. */
  double max() {
    return ticks[ticks.length - 1];
  }

  /** {@code k * m * 10^e} rounded once, so 3 * 0.2 is 0.6 and not 0.6000000000000001. */
  private static double value(long k, int m, int e) {
    return e >= 0 ? k * m * Math.pow(10, e) : (double) (k * m) / Math.pow(10, -e);
  }

  private static double log(int base, double v) {
    return base == 10 ? Math.log10(v) : Math.log(v) / Math.log(2);
  }
}
