package org.dtrain.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A {@link Canvas} that paints with Java2D, antialiased, on an off-screen RGB image and encodes it
 * as PNG. Needs no display: {@code java.awt.headless} is set to {@code true} unless the process
 * already chose, and nothing here asks the AWT toolkit for a screen. Fonts come from the JDK's
 * logical "SansSerif" (fontconfig on Linux), so a system needs at least one font installed.
 */
final class PngCanvas implements Canvas {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private final BufferedImage image;
  private final Graphics2D g;
  private final Map<Float, java.awt.Font> plain = new HashMap<>();
  private final Map<Float, java.awt.Font> bold = new HashMap<>();

  PngCanvas(int width, int height) {
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    // Pure: coordinates are used as given (as in SVG), not nudged to pixel centres.
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS,
        RenderingHints.VALUE_FRACTIONALMETRICS_ON);
  }

  /** The picture as it stands; the canvas stays usable. */
  BufferedImage image() {
    return image;
  }

  /** The finished picture as PNG bytes; call once, after drawing. */
  byte[] finish() {
    g.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    try {
      if (!ImageIO.write(image, "png", bytes)) {
        throw new IllegalStateException("this JDK has no PNG image writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("encoding a PNG in memory", e);
    }
    return bytes.toByteArray();
  }

  @Override
  public int width() {
    return image.getWidth();
  }

  @Override
  public int height() {
    return image.getHeight();
  }

  @Override
  public void fillRect(double x, double y, double w, double h, Rgb fill) {
    g.setColor(colour(fill));
    g.fill(new Rectangle2D.Double(x, y, w, h));
  }

  @Override
  public void strokeRect(double x, double y, double w, double h, Rgb stroke, double lineWidth) {
    stroke(stroke, lineWidth, false);
    g.draw(new Rectangle2D.Double(x, y, w, h));
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, Rgb stroke, double lineWidth,
      boolean dashed) {
    stroke(stroke, lineWidth, dashed);
    g.draw(new Line2D.Double(x1, y1, x2, y2));
  }

  @Override
  public void polyline(double[] xs, double[] ys, int n, Rgb stroke, double lineWidth,
      boolean dashed) {
    Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO, n);
    path.moveTo(xs[0], ys[0]);
    for (int i = 1; i < n; i++) {
      path.lineTo(xs[i], ys[i]);
    }
    stroke(stroke, lineWidth, dashed);
    g.draw(path);
  }

  @Override
  public void dot(double cx, double cy, double radius, Rgb fill) {
    g.setColor(colour(fill));
    g.fill(new Ellipse2D.Double(cx - radius, cy - radius, 2 * radius, 2 * radius));
  }

  @Override
  public void text(double x, double y, String text, Font font) {
    java.awt.Font awt = (font.bold() ? bold : plain).computeIfAbsent((float) font.size(),
        size -> new java.awt.Font(java.awt.Font.SANS_SERIF,
            font.bold() ? java.awt.Font.BOLD : java.awt.Font.PLAIN, 1).deriveFont(size));
    g.setFont(awt);
    g.setColor(colour(font.colour()));
    double w = g.getFontMetrics().getStringBounds(text, g).getWidth();
    double dx = switch (font.anchor()) {
      case START -> 0;
      case MIDDLE -> -w / 2;
      case END -> -w;
    };
    AffineTransform saved = g.getTransform();
    g.translate(x, y);
    if (font.angle() != 0) {
      g.rotate(Math.toRadians(font.angle()));
    }
    g.drawString(text, (float) dx, 0f);
    g.setTransform(saved);
  }

  @Override
  public void beginGroup(String kind, String name) {}

  @Override
  public void endGroup() {}

  private void stroke(Rgb colour, double lineWidth, boolean dashed) {
    g.setColor(colour(colour));
    g.setStroke(dashed
        ? new BasicStroke((float) lineWidth, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            SvgCanvas.DASH, 0f)
        : new BasicStroke((float) lineWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
  }

  private static Color colour(Rgb c) {
    return new Color(c.value());
  }
}
