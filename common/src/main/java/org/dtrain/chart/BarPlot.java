package org.dtrain.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out and draws a {@link StackedBarChart} on a {@link Canvas}: a y axis from zero to the
 * tallest total, one slot per category with its bar in the middle, the parts as rectangles from the
 * bottom up, the total above each bar and the category label below it (turned 45 degrees when the
 * labels are wider than the slots).
 */
final class BarPlot {
  private BarPlot() {}

  /** A bar's width as a share of its slot, and at most this many pixels. */
  private static final double BAR_SHARE = 0.6;
  private static final double MAX_BAR = 90;
  private static final double SIN45 = Math.sqrt(0.5);
  private static final double HEADROOM = 1.08;

  static void draw(StackedBarChart chart, Canvas c) {
    List<String> categories = chart.categories();
    List<StackedBarChart.Stack> stacks = chart.stacks();
    int n = categories.size();
    double tallest = 0;
    for (int i = 0; i < n; i++) {
      tallest = Math.max(tallest, chart.total(i));
    }
    // Headroom, so the total over the tallest bar stays inside the plot.
    AxisScale y = AxisScale.linear(0, tallest > 0 ? tallest * HEADROOM : 1);

    List<Legend.Entry> entries = new ArrayList<>();
    for (int s = 0; s < stacks.size(); s++) {
      entries.add(new Legend.Entry(stacks.get(s).name(), Palette.series(s), Legend.Swatch.BOX));
    }
    Legend legend = new Legend(entries, c.width() - 2 * PlotFrame.PAD);

    Canvas.Font labelFont = PlotFrame.TICK.anchored(Canvas.Anchor.MIDDLE);
    double widest = 0;
    for (String label : categories) {
      widest = Math.max(widest, TextMetrics.width(label, labelFont.size(), false));
    }
    double left = PlotFrame.sideMargin(y, chart.yLabel());
    double right = 2 * PlotFrame.PAD;
    double slot = (c.width() - left - right) / Math.max(1, n);
    boolean turned = widest > slot - 6;
    if (turned && n > 0) {
      // The first label runs down and to the left of its bar; keep it inside the picture.
      double first = TextMetrics.width(categories.get(0), labelFont.size(), false);
      double reach = (first + labelFont.size()) * SIN45 - 4;
      if (left + slot / 2 - reach < PlotFrame.PAD) {
        left = PlotFrame.PAD + reach - slot / 2;
        slot = (c.width() - left - right) / n;
      }
    }
    double labelsHeight = turned
        ? 12 + (widest + labelFont.size()) * SIN45
        : 8 + labelFont.size();

    c.fillRect(0, 0, c.width(), c.height(), Palette.BACKGROUND);
    double top = PlotFrame.header(c, chart.title(), legend);
    double bottom = c.height() - PlotFrame.PAD - labelsHeight;
    PlotFrame.Rect plot = new PlotFrame.Rect(left, top, Math.max(1, c.width() - left - right),
        Math.max(1, bottom - top));

    PlotFrame.grid(c, plot, null, y);
    double bar = Math.min(slot * BAR_SHARE, MAX_BAR);
    double[] base = new double[n];
    for (int s = 0; s < stacks.size(); s++) {
      StackedBarChart.Stack stack = stacks.get(s);
      c.beginGroup("stack", stack.name());
      for (int i = 0; i < n; i++) {
        double v = stack.height(i);
        if (v > 0) {
          double y0 = plot.bottom() - y.fraction(base[i]) * plot.h();
          double y1 = plot.bottom() - y.fraction(base[i] + v) * plot.h();
          c.fillRect(plot.x() + (i + 0.5) * slot - bar / 2, y1, bar, y0 - y1, Palette.series(s));
          base[i] += v;
        }
      }
      c.endGroup();
    }

    c.beginGroup("totals", "");
    for (int i = 0; i < n; i++) {
      double barTop = plot.bottom() - y.fraction(base[i]) * plot.h();
      c.text(plot.x() + (i + 0.5) * slot, barTop - 4, Labels.compact(base[i]), labelFont);
    }
    c.endGroup();

    PlotFrame.border(c, plot);
    c.beginGroup("axis", "categories");
    for (int i = 0; i < n; i++) {
      double cx = plot.x() + (i + 0.5) * slot;
      if (turned) {
        c.text(cx + 4, plot.bottom() + 12, categories.get(i),
            labelFont.anchored(Canvas.Anchor.END).rotated(-45));
      } else {
        c.text(cx, plot.bottom() + 6 + labelFont.size() * TextMetrics.ASCENT, categories.get(i),
            labelFont);
      }
    }
    c.endGroup();
    PlotFrame.yAxis(c, plot, y, chart.yLabel(), false);
  }
}
