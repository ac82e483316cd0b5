package org.dtrain.nn;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The input columns a fixed set of rows (a shard) uses: every column that is not zero in all of them,
 * as runs of consecutive columns. A column that is zero in every row adds nothing to the first layer's
 * {@code Z = X Wᵀ} and its column of {@code dW = dZᵀ X} is zero, so the first layer's two products
 * can run over the used columns only: K of the forward and N of dW shrink by the dropped share.
 *
 * <p>Min-max-scaled MNIST is the case it is for: a shard of 4,000 rows uses 652-656 of the 784
 * pixels, which takes 17% off the two largest GEMMs of a step (docs/PERFORMANCE.md). Dense data drops
 * nothing and keeps the plain path.
 *
 * <p>The set is a function of the shard's rows only, so a shard's gradient has the same bits on
 * whichever worker, in whichever process, computes it. It does change the bits against computing with
 * every column: the BLAS blocks a shorter K differently.
 */
public final class InputColumns {
  /**
   * Fewest rows a step must have for the narrow products to pay for gathering W's used columns and
   * spreading dW back (50 + 80 µs at 784 -> 256). On MNIST in one JVM, steps of 128 rows per shard
   * gained nothing, steps of 512 rows gained 7-12% (docs/PERFORMANCE.md).
   */
  public static final int MIN_ROWS = 256;

  private final int total;    // n_0
  private final int used;     // the number of used columns
  private final int[] starts; // runs of used columns: [starts[i], starts[i] + lengths[i])
  private final int[] lengths;

  private InputColumns(int total, int[] starts, int[] lengths) {
    this.total = total;
    this.starts = starts;
    this.lengths = lengths;
    int n = 0;
    for (int len : lengths) n += len;
    this.used = n;
  }

  /**
   * The columns used by rows of {@code x}, (rows, cols) row-major. A column counts as used when any
   * row holds a value other than ±0 there (NaN included).
   */
  public static InputColumns of(float[] x, int rows, int cols) {
    if (x.length != rows * cols) {
      throw new IllegalArgumentException(
          "expected " + rows + " x " + cols + " values, found " + x.length);
    }
    boolean[] usedAt = new boolean[cols];
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        if (x[base + c] != 0f) usedAt[c] = true;
      }
    }
    int[] starts = new int[cols];
    int[] lengths = new int[cols];
    int runs = 0;
    for (int c = 0; c < cols; c++) {
      if (!usedAt[c]) continue;
      if (runs > 0 && starts[runs - 1] + lengths[runs - 1] == c) {
        lengths[runs - 1]++;
      } else {
        starts[runs] = c;
        lengths[runs++] = 1;
      }
    }
    return new InputColumns(cols, Arrays.copyOf(starts, runs), Arrays.copyOf(lengths, runs));
  }

  /** n_0, the columns of a full row. */
  public int total() {
    return total;
  }

  /** How many columns are used. */
  public int used() {
    return used;
  }

  /**
   * Whether a step of this many rows should run the first layer over the used columns only: some
   * column is unused (but not all: a product needs K of at least 1), and the step has at least
   * {@link #MIN_ROWS} rows.
   */
  public boolean narrows(int rows) {
    return used < total && used > 0 && rows >= MIN_ROWS;
  }

  /** The used columns of each row: src (rows, total) -> a new (rows, used) array. */
  public float[] narrow(float[] src, int rows) {
    float[] dst = new float[rows * used];
    for (int r = 0; r < rows; r++) narrowRow(src, r * total, dst, r * used);
    return dst;
  }

  /** The used columns of each row: src (rows, total) -> dst (rows, used), direct buffers. */
  public void narrow(FloatBuffer src, int rows, FloatBuffer dst) {
    float[] full = new float[total];
    float[] narrow = new float[used];
    for (int r = 0; r < rows; r++) {
      src.get(r * total, full, 0, total);
      narrowRow(full, 0, narrow, 0);
      dst.put(r * used, narrow, 0, used);
    }
  }

  /** The inverse of {@link #narrow(FloatBuffer, int, FloatBuffer)}, zeros in the unused columns. */
  public void widen(FloatBuffer src, int rows, FloatBuffer dst) {
    float[] full = new float[total];
    float[] narrow = new float[used];
    for (int r = 0; r < rows; r++) {
      src.get(r * used, narrow, 0, used);
      int c = 0;
      for (int i = 0; i < starts.length; i++) {
        System.arraycopy(narrow, c, full, starts[i], lengths[i]);
        c += lengths[i];
      }
      dst.put(r * total, full, 0, total); // the unused columns of full stay 0 from the start
    }
  }

  private void narrowRow(float[] src, int from, float[] dst, int to) {
    for (int i = 0; i < starts.length; i++) {
      System.arraycopy(src, from + starts[i], dst, to, lengths[i]);
      to += lengths[i];
    }
  }
}
