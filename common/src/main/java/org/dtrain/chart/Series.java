package org.dtrain.chart;

import java.util.Objects;

/**
 * One named curve of a {@link LineChart}: points {@code (x[i], y[i])} in order, drawn as a solid or
 * dashed line, with or without a marker at every point, against the left or the right y axis.
 * A point with a NaN or infinite coordinate (or x &lt;= 0 on a log axis) is not drawn and breaks
 * the line, so gaps in the data show as gaps.
 *
 * <p>Start from {@link #line} and adjust with the {@code with...} methods, for example
 * {@code Series.line("measured", workers, samplesPerSecond).withStyle(Style.NONE).withMarkers(true)}.
 * The arrays are copied in and out, so a series never changes.
 *
 * @param style how points are joined; {@link Style#NONE} needs markers
 */
public record Series(String name, double[] x, double[] y, Style style, boolean markers,
    YAxis axis) {

  /** How the points of a series are joined. */
  public enum Style {
    SOLID,
    DASHED,
    /** Not joined: markers only, for measured points. */
    NONE
  }

  /** The y axis a series is drawn against. */
  public enum YAxis { LEFT, RIGHT }

  public Series {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    Objects.requireNonNull(style, "style");
    Objects.requireNonNull(axis, "axis");
    if (x.length != y.length) {
      throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but "
          + y.length + " y values");
    }
    if (style == Style.NONE && !markers) {
      throw new IllegalArgumentException("series '" + name + "' has neither a line nor markers");
    }
    x = x.clone();
    y = y.clone();
  }

  /** A solid line without markers against the left axis. */
  public static Series line(String name, double[] x, double[] y) {
    return new Series(name, x, y, Style.SOLID, false, YAxis.LEFT);
  }

  /** Markers only, no line, against the left axis. */
  public static Series points(String name, double[] x, double[] y) {
    return new Series(name, x, y, Style.NONE, true, YAxis.LEFT);
  }

  public Series withStyle(Style s) {
    return new Series(name, x, y, s, markers || s == Style.NONE, axis);
  }

  public Series withMarkers(boolean m) {
    return new Series(name, x, y, style, m, axis);
  }

  public Series withAxis(YAxis a) {
    return new Series(name, x, y, style, markers, a);
  }

  /** A copy of the x values. */
  @Override
  public double[] x() {
    return x.clone();
  }

  /** A copy of the y values. */
  @Override
  public double[] y() {
    return y.clone();
  }

  /** The number of points, drawable or not. */
  public int size() {
    return x.length;
  }

  @Override
  public String toString() {
    return "Series[" + name + ", " + x.length + " points, " + style + (markers ? ", markers" : "")
        + ", " + axis + "]";
  }
}
