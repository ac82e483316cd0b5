package org.dtrain.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * The key to a chart's colours: one entry per series or stack, a swatch and the name, laid out in
 * centred rows between the title and the plot (wrapping when a row is full), so it never hides
 * data.
 */
final class Legend {
  static final Canvas.Font FONT =
      new Canvas.Font(12, false, Canvas.Anchor.START, 0, Palette.TEXT);
  private static final double ROW = 18;
  private static final double SWATCH = 24;
  private static final double SWATCH_GAP = 6;
  private static final double ENTRY_GAP = 20;

  /**
   * How an entry's swatch looks: a short line (solid or dashed, maybe with a marker), a lone marker,
   * or a filled box for a bar stack.
   */
  record Swatch(boolean line, boolean dashed, boolean marker, boolean box) {
    static final Swatch BOX = new Swatch(false, false, false, true);

    static Swatch of(Series s) {
      return new Swatch(s.style() != Series.Style.NONE, s.style() == Series.Style.DASHED,
          s.markers(), false);
    }
  }

  record Entry(String label, Rgb colour, Swatch swatch) {
    double width() {
      return SWATCH + SWATCH_GAP + TextMetrics.width(label, FONT.size(), false);
    }
  }

  private final List<List<Entry>> rows = new ArrayList<>();

  /** Lays out {@code entries} (blank labels left out) in rows no wider than {@code maxWidth}. */
  Legend(List<Entry> entries, double maxWidth) {
    List<Entry> row = new ArrayList<>();
    double width = 0;
    for (Entry e : entries) {
      if (e.label().isBlank()) {
        continue;
      }
      double w = e.width();
      if (!row.isEmpty() && width + ENTRY_GAP + w > maxWidth) {
        rows.add(row);
        row = new ArrayList<>();
        width = 0;
      }
      width += (row.isEmpty() ? 0 : ENTRY_GAP) + w;
      row.add(e);
    }
    if (!row.isEmpty()) {
      rows.add(row);
    }
  }

  /** Height of all rows; 0 when there is nothing to show. */
  double height() {
    return rows.size() * ROW;
  }

  /** Draws the rows centred on {@code centreX}, the first row's top at {@code top}. */
  void draw(Canvas c, double centreX, double top) {
    if (rows.isEmpty()) {
      return;
    }
    c.beginGroup("legend", "");
    for (int r = 0; r < rows.size(); r++) {
      List<Entry> row = rows.get(r);
      double width = ENTRY_GAP * (row.size() - 1);
      for (Entry e : row) {
        width += e.width();
      }
      double x = centreX - width / 2;
      double baseline = top + r * ROW + 13;
      double mid = baseline - 4;
      for (Entry e : row) {
        swatch(c, e, x, mid);
        c.text(x + SWATCH + SWATCH_GAP, baseline, e.label(), FONT);
        x += e.width() + ENTRY_GAP;
      }
    }
    c.endGroup();
  }

  private static void swatch(Canvas c, Entry e, double x, double mid) {
    Swatch s = e.swatch();
    if (s.box()) {
      c.fillRect(x + 6, mid - 6, 12, 12, e.colour());
    }
    if (s.line()) {
      c.line(x, mid, x + SWATCH, mid, e.colour(), LinePlot.LINE_WIDTH, s.dashed());
    }
    if (s.marker()) {
      c.dot(x + SWATCH / 2, mid, LinePlot.MARKER_RADIUS, e.colour());
    }
  }
}
