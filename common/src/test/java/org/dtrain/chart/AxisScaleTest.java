package org.dtrain.chart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AxisScaleTest {
  @Test
  void zeroToNinetyThreeHundredthsEndsAtOneWithStepsOfOneFifth() {
    AxisScale a = AxisScale.linear(0, 0.93);
    // Exact doubles: each tick is rounded once, not accumulated (no 0.6000000000000001).
    assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, a.ticks());
    assertArrayEquals(new String[] {"0", "0.2", "0.4", "0.6", "0.8", "1.0"}, a.labels());
  }

  @Test
  void stepsAreOneTwoOrFiveTimesAPowerOfTen() {
    assertArrayEquals(new double[] {0, 2, 4, 6, 8, 10, 12}, AxisScale.linear(0, 11).ticks());
    assertArrayEquals(new double[] {0, 20, 40, 60, 80, 100}, AxisScale.linear(0, 100).ticks());
    assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, AxisScale.linear(0, 5).ticks());
    assertArrayEquals(new double[] {-4, -2, 0, 2, 4, 6, 8}, AxisScale.linear(-3.2, 7.9).ticks());
    assertArrayEquals(new double[] {0.02, 0.03, 0.04, 0.05, 0.06, 0.07},
        AxisScale.linear(0.021, 0.0699).ticks());
    assertArrayEquals(new String[] {"0.02", "0.03", "0.04", "0.05", "0.06", "0.07"},
        AxisScale.linear(0.021, 0.0699).labels());
  }

  @Test
  void everyLinearAxisCoversItsRangeWithAFewTicks() {
    double[][] ranges = {{0, 1e-7}, {1e9, 1e9 + 3}, {-5e6, 5e6}, {0.1, 0.11}, {123, 45678},
        {-0.001, 0}, {2.5, 2.5000001}};
    for (double[] r : ranges) {
      AxisScale a = AxisScale.linear(r[0], r[1]);
      assertTrue(a.min() <= r[0] && a.max() >= r[1], () -> r[0] + ".." + r[1]);
      int n = a.ticks().length;
      assertTrue(n >= 3 && n <= 9, () -> r[0] + ".." + r[1] + ": " + n + " ticks");
    }
  }

  @Test
  void largeValuesAreLabelledInThousandsAndMillions() {
    assertArrayEquals(new String[] {"0", "50k", "100k", "150k", "200k", "250k", "300k"},
        AxisScale.linear(0, 290_000).labels());
    assertArrayEquals(new String[] {"10.0k", "10.5k", "11.0k", "11.5k", "12.0k", "12.5k",
        "13.0k"}, AxisScale.linear(10_000, 12_700).labels());
    assertArrayEquals(new String[] {"0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"},
        AxisScale.linear(0, 2.3e6).labels());
    assertArrayEquals(new String[] {"0", "2e-8", "4e-8", "6e-8", "8e-8", "1e-7"},
        AxisScale.linear(0, 1e-7).labels());
  }

  @Test
  void aSingleValueOrNoValueIsPadded() {
    AxisScale one = AxisScale.linear(5, 5);
    assertTrue(one.min() <= 4.5 && one.max() >= 5.5 && one.max() - one.min() <= 2);
    AxisScale zero = AxisScale.linear(0, 0);
    assertTrue(zero.min() <= -1 && zero.max() >= 1);
    AxisScale none = AxisScale.linear(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    assertEquals(0, none.min());
    assertEquals(1, none.max());
    assertEquals(0.5, none.fraction(0.5), 1e-12);
  }

  @Test
  void log2AxisOverOneToAThousandAndTwentyFourWorkersTicksAtEveryPowerOfTwo() {
    AxisScale a = AxisScale.log(2, 1, 1024);
    double[] expected = new double[11];
    String[] labels = new String[11];
    for (int k = 0; k <= 10; k++) {
      expected[k] = 1 << k;
      labels[k] = Integer.toString(1 << k);
    }
    assertArrayEquals(expected, a.ticks());
    assertArrayEquals(labels, a.labels());
    for (int k = 0; k <= 10; k++) {
      assertEquals(k / 10.0, a.fraction(1 << k), 1e-12);
    }
    assertEquals(Math.log(3) / Math.log(2) / 10, a.fraction(3), 1e-12);
  }

  @Test
  void logAxesWidenToPowersAndRejectNonPositiveValues() {
    AxisScale a = AxisScale.log(2, 3, 700);
    assertEquals(2, a.min());
    assertEquals(1024, a.max());
    assertFalse(a.accepts(0));
    assertFalse(a.accepts(-1));
    assertFalse(a.accepts(Double.NaN));
    assertTrue(Double.isNaN(a.fraction(0)));
    AxisScale single = AxisScale.log(2, 8, 8);
    assertEquals(8, single.min());
    assertEquals(16, single.max());
    AxisScale none = AxisScale.log(10, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    assertArrayEquals(new double[] {1, 10}, none.ticks());
  }

  @Test
  void log10LabelsUseSuffixesAndLongLog2AxesSkipPowers() {
    assertArrayEquals(new String[] {"0.01", "0.1", "1", "10", "100", "1000", "10k", "100k",
        "1M"}, AxisScale.log(10, 0.02, 5e5).labels());
    assertArrayEquals(new String[] {"1e-9", "1e-8"}, AxisScale.log(10, 2e-9, 5e-9).labels());
    AxisScale wide = AxisScale.log(2, 1, Math.pow(2, 40));
    assertTrue(wide.ticks().length <= 13);
    assertEquals("2^40", wide.labels()[wide.labels().length - 1]);
    assertEquals("0.5", AxisScale.log(2, 0.5, 2).labels()[0]);
  }

  @Test
  void compactValuesHaveThreeSignificantDigits() {
    assertEquals("12.3", Labels.compact(12.345));
    assertEquals("1230", Labels.compact(1234.5));
    assertEquals("12.3k", Labels.compact(12_345));
    assertEquals("0.00123", Labels.compact(0.0012345));
    assertEquals("40", Labels.compact(40));
    assertEquals("0", Labels.compact(0));
  }
}
