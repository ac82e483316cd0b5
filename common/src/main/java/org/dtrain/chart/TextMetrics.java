package org.dtrain.chart;

/**
 * Text widths for layout, from a table of DejaVu Sans advance widths (the sans-serif font of most
 * Linux JDKs) grouped by character shape. The same estimate serves both canvases, so margins and
 * legend spacing are identical in SVG and PNG and do not depend on the fonts of the machine; text is
 * drawn anchored (start, middle, end), so a small error only shifts spacing, never alignment.
 */
final class TextMetrics {
  private TextMetrics() {}

  /** Ascent of a line of text as a fraction of the font size. */
  static final double ASCENT = 0.76;

  static double width(String text, double size, boolean bold) {
    double em = 0;
    for (int i = 0; i < text.length(); i++) {
      em += em(text.charAt(i));
    }
    return em * size * (bold ? 1.08 : 1.0);
  }

  private static double em(char c) {
    if (c >= '0' && c <= '9') {
      return 0.636;
    }
    if (c >= 'A' && c <= 'Z') {
      return switch (c) {
        case 'I', 'J' -> 0.30;
        case 'M' -> 0.86;
        case 'W' -> 0.99;
        default -> 0.70;
      };
    }
    return switch (c) {
      case 'i', 'j', 'l', '\'', '|', '!', '.', ',', ':', ';' -> 0.30;
      case ' ', 'f', 't', 'r', '(', ')', '[', ']', '-', '/' -> 0.37;
      case 'm' -> 0.97;
      case 'w' -> 0.82;
      case '%', '@' -> 0.95;
      default -> c < 128 ? 0.60 : 0.80;
    };
  }
}
