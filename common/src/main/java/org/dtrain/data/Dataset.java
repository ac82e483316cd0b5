package org.dtrain.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The task-shaped data the network trains on: inputs x and targets y, both row-major float arrays,
 * plus integer class ids for classification.
 *
 * <p>Immutable by convention: the arrays are shared rather than copied (a dataset may be all of
 * MNIST), so callers must not modify what {@link #x()}, {@link #y()} and {@link #labels()} return.
 * Operations that change data ({@link #select}, {@link Scaler#apply}) return new datasets.
 */
public final class Dataset {
  // Salt for the split permutation, so it is not the same random stream as anything else (weight
  // initialisation, shuffling) seeded with the same user-visible seed.
  private static final long SPLIT_SALT = 0x5B117_0000_0001L;

  private final String source;
  private final String[] featureNames; // (features)
  private final int rows;
  private final int features;
  private final int outputs;
  private final float[] x; // (rows, features)
  private final float[] y; // (rows, outputs)
  private final int[] labels; // (rows) class ids, or null for regression

  private Dataset(String source, String[] featureNames, int rows, int outputs, float[] x, float[] y,
      int[] labels) {
    this.source = source;
    this.featureNames = featureNames;
    this.rows = rows;
    this.features = featureNames.length;
    this.outputs = outputs;
    this.x = x;
    this.y = y;
    this.labels = labels;
  }

  /** A training/test partition of one dataset. */
  public record Split(Dataset train, Dataset test) {}

  /**
   * Builds a dataset from arrays already in task shape (for example rows received from another
   * process). Shape mismatches are programming errors and throw IllegalArgumentException.
   *
   * @param x (rows, featureNames.length) row-major
   * @param y (rows, outputs) row-major
   * @param labels (rows) class ids for classification, or null for regression
   */
  public static Dataset of(String source, String[] featureNames, float[] x, float[] y, int[] labels,
      int outputs) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(featureNames, "featureNames");
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    if (outputs < 1) {
      throw new IllegalArgumentException("outputs must be >= 1, found " + outputs);
    }
    if (y.length % outputs != 0) {
      throw new IllegalArgumentException("y has " + y.length + " values, not a multiple of outputs "
          + outputs);
    }
    int rows = y.length / outputs;
    if ((long) rows * featureNames.length != x.length) {
      throw new IllegalArgumentException("x has " + x.length + " values, expected rows " + rows
          + " x features " + featureNames.length);
    }
    if (labels != null && labels.length != rows) {
      throw new IllegalArgumentException("labels has " + labels.length + " entries, expected "
          + rows);
    }
    return new Dataset(source, featureNames.clone(), rows, outputs, x, y, labels);
  }

  /**
   * Classification targets from integer labels.
   *
   * @param outputs 1 for a binary task (one sigmoid unit, labels must be 0 or 1, y = label), or the
   *     number of classes for a softmax layer (labels must be integers in 0..outputs-1, y one-hot)
   * @throws DataException naming the file, line and column of the first label that does not fit
   */
  public static Dataset classification(LabeledTable t, int outputs) {
    if (outputs < 1) {
      throw new IllegalArgumentException("outputs must be >= 1, found " + outputs);
    }
    int rows = t.rows();
    double[] raw = t.labels();
    int[] labels = new int[rows]; // (rows)
    float[] y = new float[rows * outputs]; // (rows, outputs)
    int classes = Math.max(outputs, 2); // one sigmoid unit still separates two classes
    for (int r = 0; r < rows; r++) {
      double v = raw[r];
      if (v != Math.rint(v) || v < 0 || v >= classes) {
        String expected = outputs == 1
            ? "expected 0 or 1 (the output layer has 1 unit)"
            : "expected an integer class in 0.." + (outputs - 1) + " (the output layer has "
                + outputs + " units)";
        throw DataException.at(t.labelWhere(r),
            t.labelTitle() + ": " + expected + ", found " + Inputs.number(v));
      }
      int c = (int) v;
      labels[r] = c;
      if (outputs == 1) {
        y[r] = c;
      } else {
        y[r * outputs + c] = 1f;
      }
    }
    return new Dataset(t.source(), t.featureNames(), rows, outputs, t.features(), y, labels);
  }

  /** Regression: y is the label as one real target column. */
  public static Dataset regression(LabeledTable t) {
    double[] raw = t.labels();
    float[] y = new float[raw.length]; // (rows, 1)
    for (int r = 0; r < raw.length; r++) {
      y[r] = (float) raw[r];
      if (!Float.isFinite(y[r])) { // a finite double beyond float range
        throw DataException.at(t.labelWhere(r), t.labelTitle()
            + ": expected a target within float range (about ±3.4e38), found "
            + Inputs.number(raw[r]));
      }
    }
    return new Dataset(t.source(), t.featureNames(), raw.length, 1, t.features(), y, null);
  }

  public String source() {
    return source;
  }

  public int rows() {
    return rows;
  }

  public int features() {
    return features;
  }

  public int outputs() {
    return outputs;
  }

  /** (rows, features) row-major; shared, do not modify. */
  public float[] x() {
    return x;
  }

  /** (rows, outputs) row-major; shared, do not modify. */
  public float[] y() {
    return y;
  }

  /** (rows) class ids for classification, null for regression; shared, do not modify. */
  public int[] labels() {
    return labels;
  }

  public boolean classification() {
    return labels != null;
  }

  public String[] featureNames() {
    return featureNames.clone();
  }

  /** A new dataset with the given rows, in that order (rows may repeat). */
  public Dataset select(int[] rowIndices) {
    int n = rowIndices.length;
    float[] sx = new float[n * features]; // (n, features)
    float[] sy = new float[n * outputs]; // (n, outputs)
    int[] sl = labels == null ? null : new int[n]; // (n)
    for (int i = 0; i < n; i++) {
      int r = rowIndices[i];
      if (r < 0 || r >= rows) {
        throw new IndexOutOfBoundsException("row " + r + " of a dataset with " + rows + " rows");
      }
      System.arraycopy(x, r * features, sx, i * features, features);
      System.arraycopy(y, r * outputs, sy, i * outputs, outputs);
      if (sl != null) {
        sl[i] = labels[r];
      }
    }
    return new Dataset(source, featureNames, n, outputs, sx, sy, sl);
  }

  /** The same rows with new inputs (used by the scaler); y and labels are shared. */
  Dataset withX(float[] newX) {
    if (newX.length != x.length) {
      throw new IllegalArgumentException("x has " + newX.length + " values, expected " + x.length);
    }
    return new Dataset(source, featureNames, rows, outputs, newX, y, labels);
  }

  /**
   * A seeded random partition: the rows are permuted (Fisher–Yates with a SplittableRandom seeded
   * from {@code seed}), the first round(rows × testFraction) rows of the permutation are the test
   * set and the rest, in permutation order, the training set. The same seed gives the same split.
   *
   * @throws DataException naming "--test-fraction" unless the fraction is in (0, 1) and leaves at
   *     least one row on each side
   */
  public Split split(double testFraction, long seed) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw DataException.at("--test-fraction",
          "expected a fraction strictly between 0 and 1, found " + testFraction);
    }
    long testRows = Math.round(rows * testFraction);
    if (testRows < 1 || testRows > rows - 1) {
      throw DataException.at("--test-fraction", "expected a fraction that leaves at least one of the "
          + rows + " rows of " + source + " for training and one for testing, found "
          + testFraction + " (" + testRows + " test rows)");
    }
    int[] perm = new int[rows];
    for (int i = 0; i < rows; i++) {
      perm[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed ^ SPLIT_SALT);
    for (int i = rows - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int nTest = (int) testRows;
    int[] test = new int[nTest];
    int[] train = new int[rows - nTest];
    System.arraycopy(perm, 0, test, 0, nTest);
    System.arraycopy(perm, nTest, train, 0, rows - nTest);
    return new Split(select(train), select(test));
  }

  /**
   * Lower-case hex SHA-256 over rows, features and outputs (little-endian int32 each), then x and
   * y as little-endian float32. Identifies the exact data a model was trained on, independent of
   * the file format it came from.
   */
  public String sha256() {
    return Checksum.sha256(rows, features, outputs, x, y);
  }

  /**
   * Checks that {@code other} (e.g. a test set) has as many features as this (training) data.
   *
   * @throws DataException e.g. "test.csv: expected 30 features as in the training data train.csv,
   *     found 29"
   */
  public void requireSameFeatures(Dataset other) {
    if (other.features != features) {
      throw DataException.at(other.source, "expected " + features
          + " features as in the training data " + source + ", found " + other.features);
    }
  }

  @Override
  public String toString() {
    return source + ": " + rows + " rows x " + features + " features -> " + outputs + " outputs ("
        + (classification() ? "classification" : "regression") + ")";
  }
}
