package org.dtrain.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class PngOutputTest {
  private static BufferedImage decode(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertTrue(image != null, "ImageIO reads it as an image");
    return image;
  }

  /** Pixels within a small distance of {@code colour} (antialiased edges blend with white). */
  private static int pixelsNear(BufferedImage image, Rgb colour) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        int d = Math.abs(((p >> 16) & 0xff) - colour.r()) + Math.abs(((p >> 8) & 0xff) - colour.g())
            + Math.abs((p & 0xff) - colour.b());
        if (d <= 24) {
          count++;
        }
      }
    }
    return count;
  }

  private static LineChart chart() {
    double[] x = {1, 2, 4, 8, 16, 32};
    return LineChart.builder("Throughput").xLabel("workers").yLabel("samples/s")
        .xScale(LineChart.Scale.LOG2).yScale(LineChart.Scale.LOG10)
        .add(Series.line("ideal", x, new double[] {1e4, 2e4, 4e4, 8e4, 1.6e5, 3.2e5})
            .withStyle(Series.Style.DASHED))
        .add(Series.points("measured", new double[] {1, 2, 4, 8},
            new double[] {1e4, 1.9e4, 3.5e4, 6e4}))
        .build();
  }

  @Test
  void decodesAtTheRequestedSizeAndShowsTheSeriesColours() throws IOException {
    BufferedImage image = decode(Charts.png(chart(), 640, 400));
    assertEquals(640, image.getWidth());
    assertEquals(400, image.getHeight());
    assertTrue(pixelsNear(image, Palette.series(0)) > 200, "the dashed line");
    assertTrue(pixelsNear(image, Palette.series(1)) > 100, "the markers");
    assertTrue(pixelsNear(image, Palette.TEXT) > 200, "the text");
    assertTrue(pixelsNear(image, Palette.BACKGROUND) > 640 * 400 / 2, "mostly background");
    assertTrue(GraphicsEnvironment.isHeadless());
  }

  @Test
  void defaultSizeIsEightHundredByFiveHundred() throws IOException {
    BufferedImage image = decode(Charts.png(chart()));
    assertEquals(800, image.getWidth());
    assertEquals(500, image.getHeight());
  }

  @Test
  void markersSitWhereTheSvgPutsThem() throws IOException {
    LineChart chart = chart();
    BufferedImage image = decode(Charts.png(chart));
    SvgDoc svg = new SvgDoc(Charts.svg(chart));
    var markers = SvgDoc.elements(svg.group("series", "measured"), "circle");
    assertEquals(4, markers.size());
    for (Element circle : markers) {
      int x = (int) Math.floor(SvgDoc.number(circle, "cx"));
      int y = (int) Math.floor(SvgDoc.number(circle, "cy"));
      assertEquals(Palette.series(1).value(), image.getRGB(x, y) & 0xffffff,
          "PNG pixel at the SVG marker " + x + "," + y);
    }
  }

  @Test
  void barsFillWhereTheSvgPutsThem() throws IOException {
    StackedBarChart chart = StackedBarChart.builder("Step time").yLabel("ms")
        .categories("1w", "2w", "4 workers, tree")
        .stack("compute", 40, 20, 10).stack("reduce", 0, 2, 3).stack("idle", 1, 1, 2).build();
    BufferedImage image = decode(Charts.png(chart, 500, 300));
    SvgDoc svg = new SvgDoc(Charts.svg(chart, 500, 300));
    String[] names = {"compute", "reduce", "idle"};
    for (int s = 0; s < names.length; s++) {
      for (Element rect : SvgDoc.elements(svg.group("stack", names[s]), "rect")) {
        int x = (int) (SvgDoc.number(rect, "x") + SvgDoc.number(rect, "width") / 2);
        int y = (int) (SvgDoc.number(rect, "y") + SvgDoc.number(rect, "height") / 2);
        assertEquals(Palette.series(s).value(), image.getRGB(x, y) & 0xffffff,
            names[s] + " at " + x + "," + y);
      }
    }
  }
}
