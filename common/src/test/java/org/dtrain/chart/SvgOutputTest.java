package org.dtrain.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class SvgOutputTest {
  private static final double NAN = Double.NaN;

  private static LineChart training() {
    double[] steps = {0, 100, 200, 300, 400, 500};
    return LineChart.builder("Loss & accuracy <run \"a\" 'b'>")
        .xLabel("step").yLabel("loss").rightLabel("accuracy").includeRight(0, 1)
        .add(Series.line("train loss", steps, new double[] {2.3, 1.1, 0.7, 0.5, 0.42, 0.4}))
        .add(Series.line("test accuracy", new double[] {0, 250, 500}, new double[] {0.1, 0.8, 0.93})
            .withMarkers(true).withAxis(Series.YAxis.RIGHT))
        .build();
  }

  @Test
  void eachSeriesIsOnePolylineWithAllItsPoints() {
    SvgDoc svg = new SvgDoc(Charts.svg(training()));
    List<Element> loss = SvgDoc.elements(svg.group("series", "train loss"), "polyline");
    assertEquals(1, loss.size());
    assertEquals(6, SvgDoc.points(loss.get(0)).size());
    Element accuracy = svg.group("series", "test accuracy");
    assertEquals(1, SvgDoc.elements(accuracy, "polyline").size());
    assertEquals(3, SvgDoc.points(SvgDoc.elements(accuracy, "polyline").get(0)).size());
    assertEquals(3, SvgDoc.elements(accuracy, "circle").size(), "a marker per point");
    assertEquals(2, SvgDoc.elements(svg.doc.getDocumentElement(), "polyline").size());
  }

  @Test
  void legendNamesEverySeriesAndTheTitleIsEscaped() {
    String text = Charts.svg(training());
    SvgDoc svg = new SvgDoc(text);
    List<String> legend = SvgDoc.elements(svg.group("legend", ""), "text").stream()
        .map(Element::getTextContent).toList();
    assertEquals(List.of("train loss", "test accuracy (right axis)"), legend);
    assertTrue(svg.texts().contains("Loss & accuracy <run \"a\" 'b'>"));
    assertTrue(text.contains("Loss &amp; accuracy &lt;run &quot;a&quot; &#39;b&#39;&gt;"));
    assertTrue(svg.texts().containsAll(List.of("step", "loss", "accuracy")));
    // Right axis 0..1 (included), left axis nice ticks over 0.4..2.3.
    assertTrue(svg.texts().containsAll(List.of("0.2", "1.0", "2.5")));
  }

  @Test
  void escapingCoversNamesAndDropsCharactersXmlForbids() {
    LineChart chart = LineChart.builder("bell\u0007 & tab\t")
        .add(Series.line("a<b>&\"c\"", new double[] {1, 2}, new double[] {1, 2})).build();
    SvgDoc svg = new SvgDoc(Charts.svg(chart));
    svg.group("series", "a<b>&\"c\"");
    assertTrue(svg.texts().contains("a<b>&\"c\""));
    assertTrue(svg.texts().contains("bell\ufffd & tab\t"));
  }

  @Test
  void nanAndInfinitePointsLeaveGaps() {
    LineChart chart = LineChart.builder("gaps")
        .add(Series.line("s", new double[] {0, 1, 2, 3, 4, 5, 6, 7},
            new double[] {1, 2, NAN, 4, 5, Double.POSITIVE_INFINITY, 7, 8}))
        .add(Series.line("x gap", new double[] {0, NAN, 2, 3}, new double[] {1, 1, 1, 1}))
        .build();
    SvgDoc svg = new SvgDoc(Charts.svg(chart));
    List<Element> runs = SvgDoc.elements(svg.group("series", "s"), "polyline");
    assertEquals(List.of(2, 2, 2), runs.stream().map(p -> SvgDoc.points(p).size()).toList());
    // Runs do not join across the gap: the first ends left of where the second starts.
    assertTrue(SvgDoc.points(runs.get(0)).get(1)[0] < SvgDoc.points(runs.get(1)).get(0)[0]);
    Element xGap = svg.group("series", "x gap");
    assertEquals(1, SvgDoc.elements(xGap, "polyline").size());
    assertEquals(1, SvgDoc.elements(xGap, "circle").size(), "a lone point is drawn as a dot");
    // The infinite value did not stretch the axis.
    assertTrue(svg.texts().contains("8"));
    assertFalse(svg.texts().stream().anyMatch(t -> t.contains("Infinity") || t.contains("NaN")));
  }

  @Test
  void logAxisSkipsNonPositiveX() {
    LineChart chart = LineChart.builder("scale").xScale(LineChart.Scale.LOG2)
        .add(Series.line("ideal", new double[] {0, 1, 2, 4, 8}, new double[] {0, 1, 2, 4, 8})
            .withStyle(Series.Style.DASHED))
        .add(Series.points("measured", new double[] {1, 2, 4}, new double[] {1, 1.9, 3.5}))
        .build();
    String text = Charts.svg(chart);
    SvgDoc svg = new SvgDoc(text);
    List<Element> ideal = SvgDoc.elements(svg.group("series", "ideal"), "polyline");
    assertEquals(1, ideal.size());
    assertEquals(4, SvgDoc.points(ideal.get(0)).size());
    assertTrue(ideal.get(0).hasAttribute("stroke-dasharray"));
    Element measured = svg.group("series", "measured");
    assertEquals(0, SvgDoc.elements(measured, "polyline").size());
    assertEquals(3, SvgDoc.elements(measured, "circle").size());
    assertTrue(svg.texts().containsAll(List.of("1", "2", "4", "8")));
    // Equal spacing of powers of two.
    List<double[]> p = SvgDoc.points(ideal.get(0));
    assertEquals(p.get(1)[0] - p.get(0)[0], p.get(3)[0] - p.get(2)[0], 0.02);
  }

  @Test
  void emptyAndConstantSeriesDoNotBreakTheLayout() {
    LineChart chart = LineChart.builder("")
        .add(Series.line("empty", new double[0], new double[0]))
        .add(Series.line("flat", new double[] {3, 3, 3}, new double[] {7, 7, 7}))
        .add(Series.line("all NaN", new double[] {NAN, NAN}, new double[] {1, 2}))
        .build();
    SvgDoc svg = new SvgDoc(Charts.svg(chart, 300, 200));
    assertEquals(0, SvgDoc.elements(svg.group("series", "empty"), "polyline").size());
    List<Element> flat = SvgDoc.elements(svg.group("series", "flat"), "polyline");
    assertEquals(3, SvgDoc.points(flat.get(0)).size());
    for (double[] xy : SvgDoc.points(flat.get(0))) {
      assertTrue(xy[0] > 0 && xy[0] < 300 && xy[1] > 0 && xy[1] < 200);
    }
    new SvgDoc(Charts.svg(LineChart.builder("nothing").build()));
    new SvgDoc(Charts.svg(StackedBarChart.builder("nothing").build()));
  }

  @Test
  void stackedBarHeightsAreProportionalToTheirValues() {
    double[] compute = {40, 20, 10, 0};
    double[] reduce = {0, 1, 2, 3};
    double[] idle = {1, 0.5, NAN, -2};
    StackedBarChart chart = StackedBarChart.builder("Step time").yLabel("ms")
        .categories("1w", "2w", "4w", "8w")
        .stack("compute", compute).stack("reduce", reduce).stack("idle", idle).build();
    SvgDoc svg = new SvgDoc(Charts.svg(chart));
    double[] totals = new double[4];
    double pixelsPerMs = Double.NaN;
    double[] bottoms = new double[4];
    java.util.Arrays.fill(bottoms, Double.NaN);
    for (StackedBarChart.Stack stack : chart.stacks()) {
      List<Element> rects = SvgDoc.elements(svg.group("stack", stack.name()), "rect");
      int r = 0;
      for (int i = 0; i < 4; i++) {
        double v = stack.values()[i];
        if (!(v > 0)) {
          continue; // zero, NaN and negative parts draw nothing
        }
        Element rect = rects.get(r++);
        double h = SvgDoc.number(rect, "height");
        if (Double.isNaN(pixelsPerMs)) {
          pixelsPerMs = h / v;
        }
        assertEquals(v * pixelsPerMs, h, 0.02, stack.name() + " of category " + i);
        double y = SvgDoc.number(rect, "y");
        if (!Double.isNaN(bottoms[i])) {
          assertEquals(bottoms[i], y + h, 0.02, "parts stack without gaps");
        }
        bottoms[i] = y;
        totals[i] += h;
      }
      assertEquals(r, rects.size());
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(chart.total(i) * pixelsPerMs, totals[i], 0.05);
    }
    assertEquals(41, chart.total(0));
    assertEquals(3, chart.total(3));
    assertTrue(svg.texts().containsAll(List.of("41", "21.5", "12", "3", "1w", "8w", "ms")));
    List<String> legend = SvgDoc.elements(svg.group("legend", ""), "text").stream()
        .map(Element::getTextContent).toList();
    assertEquals(List.of("compute", "reduce", "idle"), legend);
  }

  @Test
  void thinningKeepsTheEnvelopeOfEachPixelColumn() {
    int n = 100_000;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = (i % 7 == 0) ? -5 : (i % 11 == 0 ? 5 : 0);
    }
    LineChart chart = LineChart.builder("long").add(Series.line("loss", x, y)).build();
    String text = Charts.svg(chart);
    assertTrue(text.length() < 200_000, "svg of " + text.length() + " chars");
    SvgDoc svg = new SvgDoc(text);
    List<double[]> points =
        SvgDoc.points(SvgDoc.elements(svg.group("series", "loss"), "polyline").get(0));
    assertTrue(points.size() <= 4 * 800);
    double top = points.stream().mapToDouble(p -> p[1]).min().orElseThrow();
    double bottom = points.stream().mapToDouble(p -> p[1]).max().orElseThrow();
    assertTrue(bottom - top > 100, "the spikes survive");

    // Column 0 keeps its first, highest (largest y), lowest and last point; column 1 its one.
    double[] px = {0.1, 0.3, 0.5, 0.7, 0.9, 1.5};
    double[] py = {5, 6, 9, 1, 4, 7};
    assertEquals(5, LinePlot.thin(px, py, 6));
    assertEquals(List.of(0.1, 0.5, 0.7, 0.9, 1.5),
        java.util.Arrays.stream(px, 0, 5).boxed().toList());
    assertEquals(List.of(5.0, 9.0, 1.0, 4.0, 7.0),
        java.util.Arrays.stream(py, 0, 5).boxed().toList());
  }

  @Test
  void descriptionsRejectInconsistentData() {
    assertThrows(IllegalArgumentException.class,
        () -> Series.line("s", new double[2], new double[3]));
    assertThrows(IllegalArgumentException.class,
        () -> new Series("s", new double[1], new double[1], Series.Style.NONE, false,
            Series.YAxis.LEFT));
    assertThrows(IllegalArgumentException.class,
        () -> StackedBarChart.builder("t").categories("a", "b").stack("s", 1).build());
    assertThrows(IllegalArgumentException.class,
        () -> Charts.svg(LineChart.builder("t").build(), 10, 10));
  }

  @Test
  void descriptionsAreImmutable() {
    double[] x = {1, 2};
    double[] y = {3, 4};
    Series s = Series.line("s", x, y);
    x[0] = 99;
    s.y()[0] = 99;
    assertEquals(1, s.x()[0]);
    assertEquals(3, s.y()[0]);
    assertEquals("Series[s, 2 points, SOLID, LEFT]", s.toString());
  }
}
