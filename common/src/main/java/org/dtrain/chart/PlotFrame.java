package org.dtrain.chart;

/**
 * What every chart draws around its data, and the spacing that goes with it: the title, the plot
 * rectangle's border, grid lines, tick marks with their labels, and the axis labels. Both chart
 * kinds lay themselves out with these pieces, so they look alike.
 */
final class PlotFrame {
  private PlotFrame() {}

  /** The plot area in pixels. */
  record Rect(double x, double y, double w, double h) {
    double right() {
      return x + w;
    }

    double bottom() {
      return y + h;
    }
  }

  static final Canvas.Font TITLE =
      new Canvas.Font(16, true, Canvas.Anchor.MIDDLE, 0, Palette.TEXT);
  static final Canvas.Font AXIS_LABEL =
      new Canvas.Font(13, false, Canvas.Anchor.MIDDLE, 0, Palette.TEXT);
  static final Canvas.Font TICK = new Canvas.Font(11, false, Canvas.Anchor.MIDDLE, 0, Palette.AXIS);

  /** Space kept free along the edges of the picture. */
  static final double PAD = 12;
  private static final double TICK_LENGTH = 5;
  private static final double TICK_GAP = 3;
  private static final double DESCENT = 1 - TextMetrics.ASCENT;

  /**
   * Draws the title (if any) and the legend below it; returns the top of the plot area, with room
   * for the label of the topmost tick.
   */
  static double header(Canvas c, String title, Legend legend) {
    double y = PAD;
    if (!title.isEmpty()) {
      double baseline = y + TITLE.size() * TextMetrics.ASCENT;
      c.text(c.width() / 2.0, baseline, title, TITLE);
      y = baseline + TITLE.size() * DESCENT + 8;
    }
    legend.draw(c, c.width() / 2.0, y);
    y += legend.height();
    return y + TICK.size() / 2 + 6;
  }

  /** Width of the side margin a y axis with these ticks and this label needs. */
  static double sideMargin(AxisScale y, String label) {
    double widest = 0;
    for (String s : y.labels()) {
      widest = Math.max(widest, TextMetrics.width(s, TICK.size(), false));
    }
    return PAD + (label.isEmpty() ? 0 : AXIS_LABEL.size() + 8) + widest + TICK_LENGTH + TICK_GAP;
  }

  /** Height of the bottom margin an x axis with tick labels and this label needs. */
  static double bottomMargin(String label) {
    double ticks = TICK_LENGTH + TICK_GAP + TICK.size();
    return ticks + (label.isEmpty() ? 0 : 8 + AXIS_LABEL.size()) + PAD;
  }

  /** Half the width of the last x tick label: what sticks out to the right of the plot. */
  static double overhang(AxisScale x) {
    String[] labels = x.labels();
    return TextMetrics.width(labels[labels.length - 1], TICK.size(), false) / 2;
  }

  /** Light lines across the plot at the inner ticks of {@code y}, and of {@code x} if not null. */
  static void grid(Canvas c, Rect plot, AxisScale x, AxisScale y) {
    c.beginGroup("grid", "");
    double[] ys = y.ticks();
    for (int i = 1; i < ys.length - 1; i++) {
      double py = plot.bottom() - y.fraction(ys[i]) * plot.h();
      c.line(plot.x(), py, plot.right(), py, Palette.GRID, 1, false);
    }
    if (x != null) {
      double[] xs = x.ticks();
      for (int i = 1; i < xs.length - 1; i++) {
        double px = plot.x() + x.fraction(xs[i]) * plot.w();
        c.line(px, plot.y(), px, plot.bottom(), Palette.GRID, 1, false);
      }
    }
    c.endGroup();
  }

  static void border(Canvas c, Rect plot) {
    c.strokeRect(plot.x(), plot.y(), plot.w(), plot.h(), Palette.AXIS, 1);
  }

  /**
   * The x axis under the plot: ticks, their labels (every second, third... when they would touch),
   * and the axis label centred below.
   */
  static void xAxis(Canvas c, Rect plot, AxisScale x, String label) {
    c.beginGroup("axis", "x");
    double[] ticks = x.ticks();
    String[] labels = x.labels();
    double widest = 0;
    for (String s : labels) {
      widest = Math.max(widest, TextMetrics.width(s, TICK.size(), false));
    }
    int stride = stride(ticks.length, plot.w(), widest + 8);
    double baseline = plot.bottom() + TICK_LENGTH + TICK_GAP + TICK.size() * TextMetrics.ASCENT;
    for (int i = 0; i < ticks.length; i++) {
      double px = plot.x() + x.fraction(ticks[i]) * plot.w();
      c.line(px, plot.bottom(), px, plot.bottom() + TICK_LENGTH, Palette.AXIS, 1, false);
      if (i % stride == 0) {
        c.text(px, baseline, labels[i], TICK);
      }
    }
    if (!label.isEmpty()) {
      double labelBaseline = baseline + TICK.size() * DESCENT + 8
          + AXIS_LABEL.size() * TextMetrics.ASCENT;
      c.text(plot.x() + plot.w() / 2, labelBaseline, label, AXIS_LABEL);
    }
    c.endGroup();
  }

  /**
   * Label every this many ticks of {@code n} evenly spread over {@code length} pixels, so labels
   * are at least {@code room} pixels apart.
   */
  private static int stride(int n, double length, double room) {
    double spacing = n > 1 ? length / (n - 1) : length;
    int stride = 1;
    while (stride * spacing < room && stride < n) {
      stride++;
    }
    return stride;
  }

  /**
   * A y axis on the left or right side of the plot: ticks, their labels (thinned like the x axis's)
   * and the axis label turned up.
   */
  static void yAxis(Canvas c, Rect plot, AxisScale y, String label, boolean right) {
    c.beginGroup("axis", right ? "right" : "left");
    double edge = right ? plot.right() : plot.x();
    double out = right ? 1 : -1;
    Canvas.Font font = TICK.anchored(right ? Canvas.Anchor.START : Canvas.Anchor.END);
    double[] ticks = y.ticks();
    String[] labels = y.labels();
    int stride = stride(ticks.length, plot.h(), TICK.size() + 4);
    for (int i = 0; i < ticks.length; i++) {
      double py = plot.bottom() - y.fraction(ticks[i]) * plot.h();
      c.line(edge, py, edge + out * TICK_LENGTH, py, Palette.AXIS, 1, false);
      if (i % stride == 0) {
        c.text(edge + out * (TICK_LENGTH + TICK_GAP), py + TICK.size() * 0.35, labels[i], font);
      }
    }
    if (!label.isEmpty()) {
      // Turned -90 degrees the glyphs rise to the left of the baseline.
      double x = right
          ? c.width() - PAD - AXIS_LABEL.size() * DESCENT
          : PAD + AXIS_LABEL.size() * TextMetrics.ASCENT;
      c.text(x, plot.y() + plot.h() / 2, label, AXIS_LABEL.rotated(-90));
    }
    c.endGroup();
  }
}
