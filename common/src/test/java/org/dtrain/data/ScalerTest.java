package org.dtrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScalerTest {
  /** Two features; the second is constant. */
  private static Dataset data(String source, float... firstColumn) {
    int n = firstColumn.length;
    float[] x = new float[n * 2];
    for (int r = 0; r < n; r++) {
      x[2 * r] = firstColumn[r];
      x[2 * r + 1] = 5;
    }
    return Dataset.regression(new LabeledTable(source, new String[] {"a", "c"}, "label", x,
        new double[n], new int[n], 0));
  }

  @Test
  void standardUsesMeanAndPopulationStd() {
    Scaler s = Scaler.fit(Scaler.Kind.STANDARD, data("t", 1, 3, 5, 7)); // mean 4, std sqrt(5)
    assertEquals(Scaler.Kind.STANDARD, s.kind());
    assertArrayEquals(new float[] {4, 5}, s.offset());
    assertArrayEquals(new float[] {(float) Math.sqrt(5), 1}, s.scale());
  }

  @Test
  void minmaxUsesMinAndRange() {
    Scaler s = Scaler.fit(Scaler.Kind.MINMAX, data("t", 2, -1, 3));
    assertArrayEquals(new float[] {-1, 5}, s.offset());
    assertArrayEquals(new float[] {4, 1}, s.scale());
    assertArrayEquals(new float[] {0.75f, 0, 0, 0, 1, 0}, s.apply(data("t", 2, -1, 3)).x());
  }

  @Test
  void zeroSpreadFeatureGetsScaleOneAndBecomesZero() {
    Scaler s = Scaler.fit(Scaler.Kind.STANDARD, data("t", 1, 2));
    assertEquals(1f, s.scale()[1]);
    Dataset scaled = s.apply(data("t", 1, 2));
    assertEquals(0f, scaled.x()[1]);
    assertEquals(0f, scaled.x()[3]);
  }

  @Test
  void fitUsesOnlyTheTrainingRowsAndTheTestSetIsScaledWithThem() {
    Dataset train = data("train", 0, 10);
    Dataset test = data("test", 100, 200);
    Scaler s = Scaler.fit(Scaler.Kind.MINMAX, train);
    assertArrayEquals(new float[] {0, 5}, s.offset());
    assertArrayEquals(new float[] {10, 1}, s.scale());
    // Test values fall outside [0, 1]: the test set's own range was not used.
    assertArrayEquals(new float[] {10, 0, 20, 0}, s.apply(test).x());
  }

  @Test
  void applyComputesInFloatExactlyAsWritten() {
    Scaler s = Scaler.of(Scaler.Kind.STANDARD, new float[] {0.1f, 0.3f}, new float[] {0.7f, 3f});
    Dataset d = data("t", 0.9f);
    float[] out = s.apply(d).x();
    assertEquals((0.9f - 0.1f) / 0.7f, out[0]);
    assertEquals((5f - 0.3f) / 3f, out[1]);
  }

  @Test
  void applyReturnsANewDatasetAndLeavesTheInputAlone() {
    Dataset d = data("t", 1, 3);
    Dataset scaled = Scaler.fit(Scaler.Kind.STANDARD, d).apply(d);
    assertArrayEquals(new float[] {1, 5, 3, 5}, d.x());
    assertArrayEquals(new float[] {-1, 0, 1, 0}, scaled.x());
    assertEquals(d.rows(), scaled.rows());
    assertSame(d.y(), scaled.y());
  }

  @Test
  void noneLeavesDataUntouched() {
    Dataset d = data("t", 1, 3);
    Scaler s = Scaler.fit(Scaler.Kind.NONE, d);
    assertSame(d, s.apply(d));
    assertArrayEquals(new float[] {0, 0}, s.offset());
    assertArrayEquals(new float[] {1, 1}, s.scale());
  }

  @Test
  void applyInPlaceScalesRowMajorValues() {
    Scaler s = Scaler.of(Scaler.Kind.MINMAX, new float[] {1, 2}, new float[] {2, 4});
    float[] x = {3, 6, 1, 2};
    s.applyInPlace(x, 2, 2);
    assertArrayEquals(new float[] {1, 1, 0, 0}, x);
  }

  @Test
  void wrongFeatureCountNamesTheDataSource() {
    Scaler s = Scaler.of(Scaler.Kind.STANDARD, new float[] {0, 0, 0}, new float[] {1, 1, 1});
    DataException e = assertThrows(DataException.class, () -> s.apply(data("test.csv", 1)));
    assertEquals("test.csv: expected 3 features as the scaler was fitted on, found 2", e.getMessage());
  }

  @Test
  void rebuiltScalerRejectsMismatchedOrZeroScales() {
    assertEquals("scaler: expected offset and scale of the same length, found 2 and 1",
        assertThrows(DataException.class, () -> Scaler.of(Scaler.Kind.STANDARD, new float[2],
            new float[] {1})).getMessage());
    assertEquals("scaler: feature 2: expected a finite offset and a finite non-zero scale, found"
            + " offset 0.0 and scale 0.0",
        assertThrows(DataException.class, () -> Scaler.of(Scaler.Kind.STANDARD, new float[2],
            new float[] {1, 0})).getMessage());
  }

  @Test
  void parseAcceptsTheThreeNamesInAnyCase() {
    assertEquals(Scaler.Kind.NONE, Scaler.Kind.parse("none"));
    assertEquals(Scaler.Kind.STANDARD, Scaler.Kind.parse(" Standard "));
    assertEquals(Scaler.Kind.MINMAX, Scaler.Kind.parse("MINMAX"));
  }

  @Test
  void parseOfAnUnknownNameListsTheAllowedValues() {
    assertEquals("unknown scaling 'zscore': expected one of none, standard, minmax",
        assertThrows(DataException.class, () -> Scaler.Kind.parse("zscore")).getMessage());
    assertEquals("--scale: expected one of none, standard, minmax, found 'zscore'",
        assertThrows(DataException.class, () -> Scaler.Kind.parse("--scale", "zscore")).getMessage());
  }
}
