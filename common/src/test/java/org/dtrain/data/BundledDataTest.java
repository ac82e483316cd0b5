package org.dtrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reads the real data sets bundled under examples/data (tests run in the module directory). */
class BundledDataTest {
  private static final String DATA = "../examples/data/";
  private static final DataOptions DEFAULTS = DataOptions.defaults();

  @Test
  void irisHas150RowsOf4FeaturesAnd3Classes() {
    LabeledTable t = DataReader.read(DATA + "iris.csv", DEFAULTS);
    assertEquals(150, t.rows());
    assertEquals(4, t.cols());
    assertArrayEquals(new String[] {"sepal_length", "sepal_width", "petal_length", "petal_width"},
        t.featureNames());
    assertEquals(3, t.inferNumClasses());
    assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, java.util.Arrays.copyOf(t.features(), 4));
    assertEquals(2, t.sourceLine(0));
    Dataset d = Dataset.classification(t, 3);
    assertEquals(3, d.outputs());
    assertEquals(50, count(d.labels(), 0));
    assertEquals(50, count(d.labels(), 2));
    // Pinned: the hash model files record for "trained on iris.csv" must not drift.
    assertEquals("60253c0a97ee67de3e8832e59f061979cb1bb9fc22071b2dda4a05c58465abe0", d.sha256());
  }

  @Test
  void breastCancerHas569RowsOf30FeaturesAndBinaryLabels() {
    LabeledTable t = DataReader.read(DATA + "breast_cancer.csv", DEFAULTS);
    assertEquals(569, t.rows());
    assertEquals(30, t.cols());
    assertTrue(t.labelsAreBinary());
    Dataset d = Dataset.classification(t, 1);
    assertEquals(1, d.outputs());
    assertEquals(569, d.y().length);
  }

  @Test
  void gzippedDigitsHas1797RowsOf64FeaturesAnd10Classes() {
    LabeledTable t = DataReader.read(DATA + "digits.csv.gz", DEFAULTS);
    assertEquals(1797, t.rows());
    assertEquals(64, t.cols());
    assertEquals(10, t.inferNumClasses());
    assertFalse(t.labelsAreBinary());
  }

  @Test
  void mnist10kTrainHas8000ImagesOf784PixelsIn0To255() {
    LabeledTable t = DataReader.read(DATA + "mnist10k/train-images-idx3-ubyte.gz", DEFAULTS);
    assertEquals(8000, t.rows());
    assertEquals(784, t.cols());
    assertEquals("px783", t.featureNames()[783]);
    assertEquals(10, t.inferNumClasses());
    float max = 0;
    for (float v : t.features()) {
      assertTrue(v >= 0 && v <= 255);
      max = Math.max(max, v);
    }
    assertEquals(255f, max);
    assertEquals(8, t.labels()[0]); // the first label byte of the file is 08
  }

  @Test
  void mnist10kTestHas2000ImagesOf784Pixels() {
    LabeledTable t = DataReader.read(DATA + "mnist10k/t10k-images-idx3-ubyte.gz", DEFAULTS);
    assertEquals(2000, t.rows());
    assertEquals(784, t.cols());
    Dataset d = Dataset.classification(t, 10);
    assertEquals(2000 * 10, d.y().length);
  }

  private static int count(int[] labels, int c) {
    int n = 0;
    for (int l : labels) {
      n += l == c ? 1 : 0;
    }
    return n;
  }
}
