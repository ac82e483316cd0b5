package org.dtrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DatasetTest {
  /** rows = labels.length, 2 features: x = (r, 10 r). */
  private static LabeledTable table(String source, double... labels) {
    int n = labels.length;
    float[] x = new float[n * 2];
    int[] lines = new int[n];
    for (int r = 0; r < n; r++) {
      x[2 * r] = r;
      x[2 * r + 1] = 10 * r;
      lines[r] = r + 2;
    }
    return new LabeledTable(source, new String[] {"a", "b"}, "label", x, labels, lines, 3);
  }

  private static Dataset numbered(int rows) {
    double[] labels = new double[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = r % 3;
    }
    return Dataset.classification(table("n.csv", labels), 3);
  }

  @Test
  void oneHotTargetsHaveASingleOneAtTheLabel() {
    Dataset d = Dataset.classification(table("t.csv", 2, 0, 1), 3);
    assertTrue(d.classification());
    assertEquals(3, d.rows());
    assertEquals(2, d.features());
    assertEquals(3, d.outputs());
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, d.y());
    assertArrayEquals(new int[] {2, 0, 1}, d.labels());
    assertArrayEquals(new float[] {0, 0, 1, 10, 2, 20}, d.x());
    assertArrayEquals(new String[] {"a", "b"}, d.featureNames());
    assertEquals("t.csv", d.source());
  }

  @Test
  void binaryTargetIsTheLabelItself() {
    Dataset d = Dataset.classification(table("t.csv", 1, 0, 1), 1);
    assertEquals(1, d.outputs());
    assertArrayEquals(new float[] {1, 0, 1}, d.y());
    assertArrayEquals(new int[] {1, 0, 1}, d.labels());
  }

  @Test
  void labelOutsideTheOutputLayerNamesFileLineColumnAndRange() {
    DataException e = assertThrows(DataException.class,
        () -> Dataset.classification(table("digits.csv", 0, 1, 12), 10));
    assertEquals("digits.csv:4:3: label: expected an integer class in 0..9 (the output layer has 10"
        + " units), found 12", e.getMessage());
  }

  @Test
  void nonBinaryLabelForOneOutputSaysZeroOrOne() {
    DataException e = assertThrows(DataException.class,
        () -> Dataset.classification(table("b.csv", 0, 2), 1));
    assertEquals("b.csv:3:3: label: expected 0 or 1 (the output layer has 1 unit), found 2",
        e.getMessage());
  }

  @Test
  void nonIntegerOrNegativeClassLabelsAreRejected() {
    assertEquals("c.csv:2:3: label: expected an integer class in 0..2 (the output layer has 3 units),"
        + " found 0.5",
        assertThrows(DataException.class,
            () -> Dataset.classification(table("c.csv", 0.5), 3)).getMessage());
    assertEquals("c.csv:2:3: label: expected an integer class in 0..2 (the output layer has 3 units),"
        + " found -1",
        assertThrows(DataException.class,
            () -> Dataset.classification(table("c.csv", -1), 3)).getMessage());
  }

  @Test
  void regressionTargetIsTheLabelAsOneColumnWithoutClassIds() {
    Dataset d = Dataset.regression(table("r.csv", 1.5, -2, 250000));
    assertFalse(d.classification());
    assertNull(d.labels());
    assertEquals(1, d.outputs());
    assertArrayEquals(new float[] {1.5f, -2f, 250000f}, d.y());
  }

  @Test
  void regressionTargetBeyondFloatRangeIsRejected() {
    DataException e = assertThrows(DataException.class,
        () -> Dataset.regression(table("r.csv", 1, 1e300)));
    assertEquals("r.csv:3:3: label: expected a target within float range (about ±3.4e38), found 1.0E300",
        e.getMessage());
  }

  @Test
  void selectCopiesTheGivenRowsInOrder() {
    Dataset d = Dataset.classification(table("t.csv", 0, 1, 2, 1), 3);
    Dataset s = d.select(new int[] {3, 0, 3});
    assertEquals(3, s.rows());
    assertArrayEquals(new float[] {3, 30, 0, 0, 3, 30}, s.x());
    assertArrayEquals(new int[] {1, 0, 1}, s.labels());
    assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0, 0, 1, 0}, s.y());
  }

  @Test
  void splitTakesRoundedFractionForTestAndPartitionsAllRows() {
    Dataset d = numbered(150);
    Dataset.Split s = d.split(0.2, 42);
    assertEquals(30, s.test().rows());
    assertEquals(120, s.train().rows());
    boolean[] seen = new boolean[150];
    for (Dataset part : new Dataset[] {s.train(), s.test()}) {
      for (int r = 0; r < part.rows(); r++) {
        int original = (int) part.x()[2 * r];
        assertFalse(seen[original], "row " + original + " appears twice");
        seen[original] = true;
        assertEquals(original % 3, part.labels()[r]);
      }
    }
    for (boolean b : seen) {
      assertTrue(b);
    }
  }

  @Test
  void splitIsDeterministicForASeedAndDiffersAcrossSeeds() {
    Dataset d = numbered(100);
    Dataset.Split a = d.split(0.25, 7);
    Dataset.Split b = d.split(0.25, 7);
    assertArrayEquals(a.test().x(), b.test().x());
    assertArrayEquals(a.train().x(), b.train().x());
    assertEquals(a.train().sha256(), b.train().sha256());
    assertFalse(Arrays.equals(a.test().x(), d.split(0.25, 8).test().x()));
  }

  @Test
  void splitFractionOutsideZeroToOneNamesTheOption() {
    DataException e = assertThrows(DataException.class, () -> numbered(10).split(1.0, 1));
    assertEquals("--test-fraction: expected a fraction strictly between 0 and 1, found 1.0",
        e.getMessage());
    assertThrows(DataException.class, () -> numbered(10).split(0, 1));
    assertThrows(DataException.class, () -> numbered(10).split(Double.NaN, 1));
  }

  @Test
  void splitThatLeavesNoRowOnOneSideNamesTheOption() {
    DataException e = assertThrows(DataException.class, () -> numbered(10).split(0.01, 1));
    assertEquals("--test-fraction: expected a fraction that leaves at least one of the 10 rows of n.csv"
        + " for training and one for testing, found 0.01 (0 test rows)", e.getMessage());
    assertThrows(DataException.class, () -> numbered(10).split(0.97, 1));
  }

  @Test
  void sha256CoversShapeThenXAndYAsLittleEndianFloats() throws Exception {
    Dataset d = Dataset.classification(table("t.csv", 1, 0), 2);
    ByteBuffer b = ByteBuffer.allocate(12 + 4 * (4 + 4)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(2).putInt(2).putInt(2);
    for (float v : new float[] {0, 0, 1, 10, 0, 1, 1, 0}) {
      b.putFloat(v);
    }
    String expected =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    assertEquals(expected, d.sha256());
  }

  @Test
  void sha256IsStableAndIgnoresTheSourceName() {
    // Pinned: if this changes, model files that record the data hash no longer match their data.
    Dataset d = Dataset.classification(table("t.csv", 1, 0), 2);
    assertEquals("1884727bce46cc9a7548414c69c3e721a43a94f2aafbab6cc605403c741a3d28", d.sha256());
    assertEquals(d.sha256(), Dataset.classification(table("other.csv", 1, 0), 2).sha256());
    assertNotEquals(d.sha256(), Dataset.classification(table("t.csv", 0, 1), 2).sha256());
  }

  @Test
  void sha256OfLargeDataSpansManyBuffers() {
    Dataset d = numbered(20000); // 20000 x (2 + 3) floats = 400 KB, several digest chunks
    assertEquals(d.sha256(), numbered(20000).sha256());
    assertNotEquals(d.sha256(), numbered(19999).sha256());
  }

  @Test
  void differentFeatureCountsNameBothSources() {
    Dataset train = Dataset.classification(table("train.csv", 0), 2);
    LabeledTable three = new LabeledTable("test.csv", new String[] {"a", "b", "c"}, "label",
        new float[3], new double[] {0}, new int[] {2}, 4);
    DataException e = assertThrows(DataException.class,
        () -> train.requireSameFeatures(Dataset.classification(three, 2)));
    assertEquals("test.csv: expected 2 features as in the training data train.csv, found 3",
        e.getMessage());
    train.requireSameFeatures(Dataset.classification(table("test.csv", 1), 2));
  }

  @Test
  void ofBuildsADatasetFromTaskShapedArrays() {
    Dataset d = Dataset.of("wire", new String[] {"a"}, new float[] {1, 2}, new float[] {0, 1, 1, 0},
        new int[] {1, 0}, 2);
    assertEquals(2, d.rows());
    assertEquals(2, d.outputs());
    assertThrows(IllegalArgumentException.class,
        () -> Dataset.of("wire", new String[] {"a"}, new float[] {1}, new float[] {0, 1, 1, 0}, null, 2));
  }
}
