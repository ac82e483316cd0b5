package org.dtrain.chart;

/** An opaque colour, 8 bits per channel; the one colour type both canvases understand. */
record Rgb(int r, int g, int b) {
  Rgb {
    if ((r | g | b) < 0 || r > 255 || g > 255 || b > 255) {
      throw new IllegalArgumentException("channels are 0..255: " + r + "," + g + "," + b);
    }
  }

  /** @param rgb 0xRRGGBB */
  static Rgb of(int rgb) {
    return new Rgb((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
  }

  /** 0xRRGGBB */
  int value() {
    return (r << 16) | (g << 8) | b;
  }

  /** {@code #rrggbb}, as SVG wants it. */
  String hex() {
    return String.format("#%06x", value());
  }
}
