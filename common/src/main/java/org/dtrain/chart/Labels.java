package org.dtrain.chart;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Numbers as short axis and value labels: "." as the decimal point whatever the locale, zero as
 * "0", and thousands, millions, billions as "k", "M", "G" from ten thousand up (so 120000 samples/s
 * reads "120k").
 */
final class Labels {
  private Labels() {}

  /**
   * Labels for the ticks {@code k * m * 10^e} of one linear axis: all with the same number of
   * decimals, enough for the step; {@code largest} is the largest magnitude on the axis and picks
   * the suffix.
   */
  static String linearTick(long k, int m, int e, double largest) {
    if (k == 0) {
      return "0";
    }
    int unit = largest >= 1e9 ? 9 : largest >= 1e6 ? 6 : largest >= 1e4 ? 3 : 0;
    BigDecimal v = BigDecimal.valueOf(k * m).scaleByPowerOfTen(e - unit);
    if (unit == 0 && e < -6) {
      return v.stripTrailingZeros().toString().replace("E", "e");
    }
    return v.setScale(Math.max(0, unit - e)).toPlainString() + suffix(unit);
  }

  /**
   * The label of {@code base^exponent} on a log axis: "1024", "0.5", "2^40"; powers of ten from
   * 10000 up with a suffix ("10k", "1M", "100G"), beyond that and below 0.0001 as "1e12", "1e-9".
   */
  static String power(int base, int exponent) {
    double v = Math.pow(base, exponent);
    if (base == 10 && exponent >= 4 && exponent <= 11) {
      return (long) Math.pow(10, exponent % 3) + suffix(exponent / 3 * 3);
    }
    if (exponent >= 0 && v < 1e7) {
      return Long.toString((long) v);
    }
    if (exponent < 0 && v >= 1e-4 && (base == 10 || exponent >= -6)) {
      return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
    return base == 10 ? "1e" + exponent : base + "^" + exponent;
  }

  /** A value printed on a chart (a bar's total): three significant digits. */
  static String compact(double v) {
    if (!Double.isFinite(v)) {
      return "";
    }
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    int unit = a >= 1e9 ? 9 : a >= 1e6 ? 6 : a >= 1e4 ? 3 : 0;
    BigDecimal d = new BigDecimal(v).scaleByPowerOfTen(-unit).round(new MathContext(3));
    if (unit == 0 && a < 1e-4) {
      return d.stripTrailingZeros().toString().replace("E", "e");
    }
    return d.stripTrailingZeros().toPlainString() + suffix(unit);
  }

  private static String suffix(int unit) {
    return switch (unit) {
      case 9 -> "G";
      case 6 -> "M";
      case 3 -> "k";
      default -> "";
    };
  }
}
