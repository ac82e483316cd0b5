package org.dtrain.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out and draws a {@link LineChart} on a {@link Canvas}: axes from the drawable points, the
 * legend, the frame, then each series on top as polylines (one per unbroken run of points) and
 * markers.
 *
 * <p>A run with many more points than the plot is wide is thinned to the first, lowest, highest and
 * last point of each pixel column, which draws the same envelope with a few points per pixel (a
 * 100k-step loss curve stays a small SVG).
 */
final class LinePlot {
  private LinePlot() {}

  static final double LINE_WIDTH = 2;
  static final double MARKER_RADIUS = 3.5;

  static void draw(LineChart chart, Canvas c) {
    List<Series> series = chart.series();
    AxisScale x = xAxis(chart);
    AxisScale left = yAxis(chart, Series.YAxis.LEFT, chart.yScale(), chart.includeLeft(), x);
    AxisScale right = chart.hasRightAxis()
        ? yAxis(chart, Series.YAxis.RIGHT, LineChart.Scale.LINEAR, chart.includeRight(), x)
        : null;
    boolean bothSides = series.stream().anyMatch(s -> s.axis() == Series.YAxis.LEFT)
        && series.stream().anyMatch(s -> s.axis() == Series.YAxis.RIGHT);

    List<Legend.Entry> entries = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      String label = s.name();
      if (bothSides && s.axis() == Series.YAxis.RIGHT && !label.isBlank()) {
        label += " (right axis)";
      }
      entries.add(new Legend.Entry(label, Palette.series(i), Legend.Swatch.of(s)));
    }
    Legend legend = new Legend(entries, c.width() - 2 * PlotFrame.PAD);

    c.fillRect(0, 0, c.width(), c.height(), Palette.BACKGROUND);
    double top = PlotFrame.header(c, chart.title(), legend);
    double leftMargin = PlotFrame.sideMargin(left, chart.yLabel());
    double rightMargin = right != null
        ? PlotFrame.sideMargin(right, chart.rightLabel())
        : Math.max(2 * PlotFrame.PAD, PlotFrame.overhang(x) + PlotFrame.PAD / 2);
    double bottom = c.height() - PlotFrame.bottomMargin(chart.xLabel());
    PlotFrame.Rect plot = new PlotFrame.Rect(leftMargin, top,
        Math.max(1, c.width() - leftMargin - rightMargin), Math.max(1, bottom - top));

    // Frame and axes first, so a point on the border is drawn over it, not hidden by it.
    PlotFrame.grid(c, plot, x, left);
    PlotFrame.border(c, plot);
    PlotFrame.xAxis(c, plot, x, chart.xLabel());
    PlotFrame.yAxis(c, plot, left, chart.yLabel(), false);
    if (right != null) {
      PlotFrame.yAxis(c, plot, right, chart.rightLabel(), true);
    }
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      drawSeries(c, plot, s, x, s.axis() == Series.YAxis.RIGHT ? right : left, Palette.series(i));
    }
  }

  /** The x axis over the x of every drawable point. */
  private static AxisScale xAxis(LineChart chart) {
    boolean log = chart.xScale() != LineChart.Scale.LINEAR;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Series s : chart.series()) {
      double[] xs = s.x();
      double[] ys = s.y();
      for (int i = 0; i < xs.length; i++) {
        if (Double.isFinite(xs[i]) && Double.isFinite(ys[i]) && (!log || xs[i] > 0)) {
          min = Math.min(min, xs[i]);
          max = Math.max(max, xs[i]);
        }
      }
    }
    return AxisScale.of(chart.xScale(), min, max);
  }

  /**
   * A y axis over the y of the drawable points of the series on {@code side}, and the includes
   * (on a log axis only the positive ones).
   */
  private static AxisScale yAxis(LineChart chart, Series.YAxis side, LineChart.Scale scale,
      double[] include, AxisScale x) {
    boolean log = scale != LineChart.Scale.LINEAR;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : include) {
      if (Double.isFinite(v) && (!log || v > 0)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    for (Series s : chart.series()) {
      if (s.axis() != side) {
        continue;
      }
      double[] xs = s.x();
      double[] ys = s.y();
      for (int i = 0; i < xs.length; i++) {
        if (x.accepts(xs[i]) && Double.isFinite(ys[i]) && (!log || ys[i] > 0)) {
          min = Math.min(min, ys[i]);
          max = Math.max(max, ys[i]);
        }
      }
    }
    return AxisScale.of(scale, min, max);
  }

  private static void drawSeries(Canvas c, PlotFrame.Rect plot, Series s, AxisScale x,
      AxisScale y, Rgb colour) {
    c.beginGroup("series", s.name());
    double[] xs = s.x();
    double[] ys = s.y();
    double[] px = new double[xs.length];
    double[] py = new double[xs.length];
    int n = 0;
    for (int i = 0; i <= xs.length; i++) {
      boolean drawable = i < xs.length && x.accepts(xs[i]) && y.accepts(ys[i]);
      if (drawable) {
        px[n] = plot.x() + x.fraction(xs[i]) * plot.w();
        py[n] = plot.bottom() - y.fraction(ys[i]) * plot.h();
        n++;
      } else if (n > 0) {
        drawRun(c, s, px, py, n, plot.w(), colour);
        n = 0;
      }
    }
    c.endGroup();
  }

  /** One unbroken run of {@code n} points: its line, or a dot if it is a lone point, then markers. */
  private static void drawRun(Canvas c, Series s, double[] px, double[] py, int n, double width,
      Rgb colour) {
    if (n > 2 * width) {
      n = thin(px, py, n);
    }
    if (s.style() != Series.Style.NONE) {
      if (n >= 2) {
        c.polyline(px, py, n, colour, LINE_WIDTH, s.style() == Series.Style.DASHED);
      } else if (!s.markers()) {
        c.dot(px[0], py[0], LINE_WIDTH, colour);
      }
    }
    if (s.markers()) {
      for (int i = 0; i < n; i++) {
        c.dot(px[i], py[i], MARKER_RADIUS, colour);
      }
    }
  }

  /**
   * Keeps, in place and in order, the first, lowest, highest and last point of each run of points
   * in the same pixel column (x ascending is not required: a column ends where x changes column).
   * Returns the number kept.
   */
  static int thin(double[] px, double[] py, int n) {
    int kept = 0;
    int start = 0;
    while (start < n) {
      long column = (long) Math.floor(px[start]);
      int end = start + 1;
      int low = start;
      int high = start;
      while (end < n && (long) Math.floor(px[end]) == column) {
        if (py[end] < py[low]) {
          low = end;
        }
        if (py[end] > py[high]) {
          high = end;
        }
        end++;
      }
      int last = end - 1;
      int[] pick = {start, Math.min(low, high), Math.max(low, high), last};
      int previous = -1;
      for (int p : pick) {
        if (p != previous) {
          // p >= start >= kept, and picks ascend, so nothing not yet copied is overwritten.
          px[kept] = px[p];
          py[kept] = py[p];
          kept++;
          previous = p;
        }
      }
      start = end;
    }
    return kept;
  }
}
