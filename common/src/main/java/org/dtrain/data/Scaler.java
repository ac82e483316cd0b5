package org.dtrain.data;

import java.util.Locale;
import java.util.Objects;

/**
 * Per-feature scaling x' = (x − offset) / scale, fitted on training rows only (fitting on all rows
 * would leak the test set's statistics into training) and stored in the model file so that
 * evaluate and predict apply exactly the same transform.
 *
 * <ul>
 *   <li>{@code none}: x' = x.
 *   <li>{@code standard}: offset = mean, scale = population standard deviation.
 *   <li>{@code minmax}: offset = min, scale = max − min, so training values land in [0, 1].
 * </ul>
 *
 * A feature with zero spread on the training rows (a constant MNIST border pixel) gets scale 1, so
 * it becomes 0 instead of NaN.
 */
public final class Scaler {

  /** The scaling method. */
  public enum Kind {
    NONE, STANDARD, MINMAX;

    public static final String ALLOWED = "none, standard, minmax";

    /** Parses "none", "standard" or "minmax" (any case). */
    public static Kind parse(String text) {
      Kind k = find(text);
      if (k == null) {
        throw new DataException("unknown scaling '" + text + "': expected one of " + ALLOWED);
      }
      return k;
    }

    /** As {@link #parse(String)}, naming the option key in the message, e.g. "--scale". */
    public static Kind parse(String key, String text) {
      Kind k = find(text);
      if (k == null) {
        throw DataException.at(key, "expected one of " + ALLOWED + ", found '" + text + "'");
      }
      return k;
    }

    private static Kind find(String text) {
      if (text == null) {
        return null;
      }
      String t = text.trim().toLowerCase(Locale.ROOT);
      for (Kind k : values()) {
        if (k.text().equals(t)) {
          return k;
        }
      }
      return null;
    }

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Kind kind;
  private final float[] offset; // (features)
  private final float[] scale; // (features)

  private Scaler(Kind kind, float[] offset, float[] scale) {
    this.kind = kind;
    this.offset = offset;
    this.scale = scale;
  }

  /**
   * Fits on {@code train}. Statistics are accumulated in double (two passes for the variance) so
   * that 60,000 rows do not lose precision; the result is stored as float like the data.
   * NONE gives offset 0 and scale 1 for each feature.
   */
  public static Scaler fit(Kind kind, Dataset train) {
    Objects.requireNonNull(kind, "kind");
    int rows = train.rows();
    int cols = train.features();
    float[] x = train.x(); // (rows, cols)
    float[] off = new float[cols];
    float[] sc = new float[cols];
    java.util.Arrays.fill(sc, 1f);
    if (kind == Kind.NONE) {
      return new Scaler(kind, off, sc);
    }
    if (rows == 0) {
      throw DataException.at(train.source(), "expected at least one training row to fit the "
          + kind.text() + " scaler, found none");
    }
    for (int j = 0; j < cols; j++) {
      if (kind == Kind.STANDARD) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
          sum += x[r * cols + j];
        }
        double mean = sum / rows;
        double ss = 0;
        for (int r = 0; r < rows; r++) {
          double d = x[r * cols + j] - mean;
          ss += d * d;
        }
        double std = Math.sqrt(ss / rows); // population std, as the stored model documents
        off[j] = (float) mean;
        sc[j] = spread(std);
      } else {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
          float v = x[r * cols + j];
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        off[j] = min;
        sc[j] = spread((double) max - min);
      }
    }
    return new Scaler(kind, off, sc);
  }

  // Zero spread means a constant feature; dividing by 1 maps it to 0. A spread that rounds to 0 or
  // overflows in float is treated the same way rather than producing Inf or NaN.
  private static float spread(double s) {
    float f = (float) s;
    return f > 0 && Float.isFinite(f) ? f : 1f;
  }

  /**
   * Rebuilds a scaler read from a model file.
   *
   * @throws DataException if the arrays differ in length or a scale is zero or not finite
   */
  public static Scaler of(Kind kind, float[] offset, float[] scale) {
    Objects.requireNonNull(kind, "kind");
    float[] off = offset == null ? new float[0] : offset.clone();
    float[] sc = scale == null ? new float[0] : scale.clone();
    if (off.length != sc.length) {
      throw DataException.at("scaler", "expected offset and scale of the same length, found "
          + off.length + " and " + sc.length);
    }
    for (int j = 0; j < sc.length; j++) {
      if (!Float.isFinite(off[j]) || !Float.isFinite(sc[j]) || sc[j] == 0) {
        throw DataException.at("scaler", "feature " + (j + 1)
            + ": expected a finite offset and a finite non-zero scale, found offset " + off[j]
            + " and scale " + sc[j]);
      }
    }
    return new Scaler(kind, off, sc);
  }

  public Kind kind() {
    return kind;
  }

  /** (features); a copy. */
  public float[] offset() {
    return offset.clone();
  }

  /** (features); a copy. */
  public float[] scale() {
    return scale.clone();
  }

  /** A new dataset with x' = (x − offset) / scale; NONE returns {@code d} itself. */
  public Dataset apply(Dataset d) {
    if (kind == Kind.NONE) {
      return d;
    }
    requireWidth(d.features(), d.source());
    float[] out = d.x().clone();
    applyInPlace(out, d.rows(), d.features());
    return d.withX(out);
  }

  /** Scales the first rows × cols values of {@code x}, (rows, cols) row-major, in place. */
  public void applyInPlace(float[] x, int rows, int cols) {
    if (kind == Kind.NONE) {
      return;
    }
    requireWidth(cols, "input");
    if ((long) rows * cols > x.length) {
      throw new IllegalArgumentException("x has " + x.length + " values, fewer than rows " + rows
          + " x cols " + cols);
    }
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int j = 0; j < cols; j++) {
        // In float, exactly as written, so every process computes the same bits.
        x[base + j] = (x[base + j] - offset[j]) / scale[j];
      }
    }
  }

  private void requireWidth(int cols, String where) {
    if (cols != offset.length) {
      throw DataException.at(where, "expected " + offset.length
          + " features as the scaler was fitted on, found " + cols);
    }
  }

  @Override
  public String toString() {
    return "Scaler[" + kind.text() + ", " + offset.length + " features]";
  }
}
