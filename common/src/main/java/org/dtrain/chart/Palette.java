package org.dtrain.chart;

/**
 * The fixed colours of every chart. Series and stacks take the Okabe–Ito colour-blind-safe palette
 * in order (blue, vermillion, bluish green, orange, reddish purple, sky blue, black, yellow; yellow
 * last because it is faint on white), wrapping after eight; the rest are neutral greys.
 */
final class Palette {
  private Palette() {}

  private static final Rgb[] SERIES = {
    Rgb.of(0x0072B2), Rgb.of(0xD55E00), Rgb.of(0x009E73), Rgb.of(0xE69F00),
    Rgb.of(0xCC79A7), Rgb.of(0x56B4E9), Rgb.of(0x000000), Rgb.of(0xF0E442),
  };

  static final Rgb BACKGROUND = Rgb.of(0xffffff);
  static final Rgb TEXT = Rgb.of(0x222222);
  static final Rgb AXIS = Rgb.of(0x444444);
  static final Rgb GRID = Rgb.of(0xe3e3e3);

  /** The colour of the i-th series or stack (0-based). */
  static Rgb series(int i) {
    return SERIES[Math.floorMod(i, SERIES.length)];
  }
}
