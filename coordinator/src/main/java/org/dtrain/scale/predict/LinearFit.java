package org.dtrain.scale.predict;

/**
 * y = intercept + slope x, fitted by ordinary least squares.
 *
 * @param intercept y at x = 0, in the units of y
 * @param slope change of y per unit of x
 */
public record LinearFit(double intercept, double slope) {

  /** The line at {@code x}. */
  public double at(double x) {
    return intercept + slope * x;
  }

  /**
   * The least-squares line through (x[i], y[i]): slope = Σ(x - x̄)(y - ȳ) / Σ(x - x̄)², intercept
   * = ȳ - slope x̄.
   *
   * @throws IllegalArgumentException unless there are at least two points with different x, or
   *     when the arrays differ in length or hold a value that is not finite
   */
  public static LinearFit leastSquares(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("expected as many y as x values, found " + x.length
          + " x and " + y.length + " y");
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
        throw new IllegalArgumentException("point " + i + " is not finite: (" + x[i] + ", " + y[i]
            + ")");
      }
      mx += x[i];
      my += y[i];
    }
    mx /= Math.max(1, x.length);
    my /= Math.max(1, x.length);
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < x.length; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
    }
    if (!(sxx > 0)) {
      throw new IllegalArgumentException("expected at least two points with different x, found "
          + x.length + " point(s)");
    }
    double slope = sxy / sxx;
    return new LinearFit(my - slope * mx, slope);
  }
}
