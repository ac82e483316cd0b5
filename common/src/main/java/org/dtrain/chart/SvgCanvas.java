package org.dtrain.chart;

import java.util.Locale;

/**
 * A {@link Canvas} that writes a standalone SVG 1.1 document: one element per primitive, numbers
 * with at most two decimals, every text and attribute escaped. Lines are {@code <polyline>}s, dots
 * {@code <circle>}s, groups {@code <g class="KIND" data-name="NAME">}.
 */
final class SvgCanvas implements Canvas {
  /** Dash and gap lengths of a dashed line, in pixels; {@link PngCanvas} uses the same. */
  static final float[] DASH = {7, 5};

  private static final String FONT_FAMILY = "DejaVu Sans, Helvetica, Arial, sans-serif";

  private final int width;
  private final int height;
  private final StringBuilder out = new StringBuilder(16_384);

  SvgCanvas(int width, int height) {
    this.width = width;
    this.height = height;
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
        .append(' ').append(height).append("\" font-family=\"").append(FONT_FAMILY)
        .append("\">\n");
  }

  /** The finished document; call once, after drawing. */
  String finish() {
    return out.append("</svg>\n").toString();
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public void fillRect(double x, double y, double w, double h, Rgb fill) {
    out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y))
        .append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h))
        .append("\" fill=\"").append(fill.hex()).append("\"/>\n");
  }

  @Override
  public void strokeRect(double x, double y, double w, double h, Rgb stroke, double lineWidth) {
    out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y))
        .append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h))
        .append("\" fill=\"none\"");
    stroke(stroke, lineWidth, false);
    out.append("/>\n");
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, Rgb stroke, double lineWidth,
      boolean dashed) {
    out.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1))
        .append("\" x2=\"").append(num(x2)).append("\" y2=\"").append(num(y2)).append('"');
    stroke(stroke, lineWidth, dashed);
    out.append("/>\n");
  }

  @Override
  public void polyline(double[] xs, double[] ys, int n, Rgb stroke, double lineWidth,
      boolean dashed) {
    out.append("<polyline points=\"");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(num(xs[i])).append(',').append(num(ys[i]));
    }
    out.append("\" fill=\"none\"");
    stroke(stroke, lineWidth, dashed);
    out.append("/>\n");
  }

  @Override
  public void dot(double cx, double cy, double radius, Rgb fill) {
    out.append("<circle cx=\"").append(num(cx)).append("\" cy=\"").append(num(cy))
        .append("\" r=\"").append(num(radius)).append("\" fill=\"").append(fill.hex())
        .append("\"/>\n");
  }

  @Override
  public void text(double x, double y, String text, Font font) {
    out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y))
        .append("\" font-size=\"").append(num(font.size())).append('"');
    if (font.bold()) {
      out.append(" font-weight=\"bold\"");
    }
    if (font.anchor() != Anchor.START) {
      out.append(" text-anchor=\"").append(font.anchor() == Anchor.MIDDLE ? "middle" : "end")
          .append('"');
    }
    if (font.angle() != 0) {
      out.append(" transform=\"rotate(").append(num(font.angle())).append(' ').append(num(x))
          .append(' ').append(num(y)).append(")\"");
    }
    out.append(" fill=\"").append(font.colour().hex()).append("\">").append(escape(text))
        .append("</text>\n");
  }

  @Override
  public void beginGroup(String kind, String name) {
    out.append("<g class=\"").append(escape(kind)).append("\" data-name=\"").append(escape(name))
        .append("\">\n");
  }

  @Override
  public void endGroup() {
    out.append("</g>\n");
  }

  /** Solid strokes have round caps and joins, dashed ones butt caps and round joins (as PNG). */
  private void stroke(Rgb stroke, double lineWidth, boolean dashed) {
    out.append(" stroke=\"").append(stroke.hex()).append("\" stroke-width=\"")
        .append(num(lineWidth)).append("\" stroke-linejoin=\"round\"");
    if (dashed) {
      out.append(" stroke-dasharray=\"").append(num(DASH[0])).append(' ').append(num(DASH[1]))
          .append('"');
    } else {
      out.append(" stroke-linecap=\"round\"");
    }
  }

  /** At most two decimals, no trailing zeros, no exponent, "." as the decimal point. */
  static String num(double v) {
    long hundredths = Math.round(v * 100);
    if (hundredths % 100 == 0) {
      return Long.toString(hundredths / 100);
    }
    String s = String.format(Locale.ROOT, "%.2f", hundredths / 100.0);
    return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * {@code text} safe inside an XML element or a quoted attribute: {@code & < > " '} as entities,
   * characters XML 1.0 forbids (controls other than tab, newline, carriage return; lone surrogates)
   * replaced by U+FFFD.
   */
  static String escape(String text) {
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            b.append(c).append(text.charAt(++i));
          } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r')
              || Character.isSurrogate(c) || c == 0xfffe || c == 0xffff) {
            b.append('\ufffd');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
