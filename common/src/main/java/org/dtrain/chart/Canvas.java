package org.dtrain.chart;

/**
 * What the layout code draws on: a few primitives in pixel coordinates (origin top left, y down).
 * {@link SvgCanvas} writes them as SVG elements, {@link PngCanvas} paints them with Java2D, so a
 * chart is laid out once and both outputs show the same picture.
 *
 * <p>Text is placed by its baseline point; its width for layout comes from {@link TextMetrics}, the
 * same on both canvases. Groups carry no pixels: they name what is drawn inside them (a series, a
 * stack) so the SVG can be read back, and the PNG canvas ignores them.
 */
interface Canvas {
  /** Where a text's baseline point lies along the text. */
  enum Anchor { START, MIDDLE, END }

  /**
   * How a text looks.
   *
   * @param angle degrees, clockwise on screen (so -90 reads bottom to top), about the anchor point
   */
  record Font(double size, boolean bold, Anchor anchor, double angle, Rgb colour) {
    Font anchored(Anchor a) {
      return new Font(size, bold, a, angle, colour);
    }

    Font rotated(double degrees) {
      return new Font(size, bold, anchor, degrees, colour);
    }
  }

  int width();

  int height();

  void fillRect(double x, double y, double w, double h, Rgb fill);

  void strokeRect(double x, double y, double w, double h, Rgb stroke, double lineWidth);

  void line(double x1, double y1, double x2, double y2, Rgb stroke, double lineWidth,
      boolean dashed);

  /** The first {@code n} points of {@code xs, ys}, joined; {@code n >= 2}. */
  void polyline(double[] xs, double[] ys, int n, Rgb stroke, double lineWidth, boolean dashed);

  void dot(double cx, double cy, double radius, Rgb fill);

  void text(double x, double y, String text, Font font);

  /** Starts a named group: {@code kind} says what it is ("series", "stack"), {@code name} which. */
  void beginGroup(String kind, String name);

  void endGroup();
}
