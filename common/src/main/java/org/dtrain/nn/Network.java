package org.dtrain.nn;

import java.nio.FloatBuffer;
import org.dtrain.math.Blas;
import org.dtrain.math.Scratch;

/**
 * Forward and backward propagation of a dense network over a batch of rows (examples are rows).
 *
 * <p>Per layer, as in the lectures but with examples as rows:
 * forward {@code Z = A_prev Wᵀ + b}, {@code A = g(Z)};
 * backward {@code dZ = dA ⊙ g'(Z)}, {@code dW = dZᵀ A_prev}, {@code db = Σ_rows dZ},
 * {@code dA_prev = dZ W}. Gradients are sums over the rows, never means: the caller adds the sums of
 * all shards and divides once by the total count.
 *
 * <p>Stateless apart from the spec and the BLAS; safe to share between threads as long as each thread
 * has its own {@link Workspace}.
 */
public final class Network {
  /**
   * From this many rows on, dW = dZᵀ A_prev is computed as (A_prevᵀ dZ)ᵀ: OpenBLAS runs that form of
   * the product, whose long K is the rows, 10-20% faster on the benchmark machine (784 -> 256 at 4,096
   * rows: 12.2 ms + 0.2 ms for the transpose against 13.9 ms; at 2,048 rows the two are even, below
   * that the transpose costs more than it saves; docs/PERFORMANCE.md). Each element is the same sum
   * over the rows in the same order either way, so the bits do not depend on it.
   */
  static final int TRANSPOSED_WEIGHT_GRADIENT_ROWS = 3072;

  private final ModelSpec spec;
  private final Blas blas;
  private final int transposedFrom; // rows from which dW goes through its transpose

  public Network(ModelSpec spec) {
    this(spec, Blas.get());
  }

  public Network(ModelSpec spec, Blas blas) {
    this(spec, blas, TRANSPOSED_WEIGHT_GRADIENT_ROWS);
  }

  /** With the rows from which dW is computed through its transpose (tests compare both ways). */
  Network(ModelSpec spec, Blas blas, int transposedFrom) {
    this.spec = spec;
    this.blas = blas;
    this.transposedFrom = transposedFrom;
  }

  public ModelSpec spec() {
    return spec;
  }

  /** A = forward(X) for the first {@code rows} rows of the workspace; the result is ws.output(). */
  public void forward(Parameters p, Workspace ws, int rows) {
    FloatBuffer aPrev = ws.x; // (rows, in)
    for (int l = 0; l < spec.depth(); l++) {
      LayerSpec ls = spec.layer(l);
      int in = ls.in();
      int out = ls.out();
      FloatBuffer w = p.weights(l); // (out, in)
      if (l == 0 && ws.columns != null) { // x holds the used columns only: so must W
        in = ws.columns.used();
        w = ws.narrowWeights();
        ws.columns.narrow(p.weights(0), out, w);
      }
      FloatBuffer z = ws.z[l]; // (rows, out)
      FloatBuffer b = p.bias(l);
      for (int r = 0; r < rows; r++) {
        z.put(r * out, b, 0, out);
      }
      // Z = A_prev Wᵀ + Z, with W (out, in) row-major
      blas.gemm(false, true, rows, out, in, 1f, aPrev, in, w, in, 1f, z, out);
      ls.activation().forward(z, ws.a[l], rows, out);
      aPrev = ws.a[l];
    }
  }

  /**
   * Forward, loss and backward over the first {@code rows} rows of the workspace.
   *
   * @param grad overwritten with the gradient of Σ_rows L with respect to every parameter
   * @return the row count, loss sum and correct count of these rows
   */
  public BatchStats gradientSum(Parameters p, Workspace ws, int rows, Parameters grad) {
    forward(p, ws, rows);
    int last = spec.depth() - 1;
    int nOut = spec.outputs();
    double lossSum = spec.loss().sumAndGradient(spec.output().activation(), ws.z[last], ws.a[last],
        ws.y, ws.delta[last], rows, nOut);
    for (int l = last; l >= 0; l--) {
      LayerSpec ls = spec.layer(l);
      int in = ls.in();
      int out = ls.out();
      FloatBuffer dz = ws.delta[l];                  // (rows, out), already dZ
      FloatBuffer aPrev = l == 0 ? ws.x : ws.a[l - 1]; // (rows, in)
      if (l == 0 && ws.columns != null) { // dW over the used columns, zeros in the others
        FloatBuffer narrowDw = ws.narrowWeightGradient(); // (out, used)
        weightGradient(dz, aPrev, rows, ws.columns.used(), out, narrowDw, ws);
        ws.columns.widen(narrowDw, out, grad.weights(0));
      } else {
        weightGradient(dz, aPrev, rows, in, out, grad.weights(l), ws);
      }
      columnSums(dz, rows, out, grad.bias(l));
      if (l > 0) {
        FloatBuffer daPrev = ws.delta[l - 1]; // (rows, in)
        // dA_prev = dZ W: (rows, out) x (out, in)
        blas.gemm(false, false, rows, in, out, 1f, dz, out, p.weights(l), in, 0f, daPrev, in);
        spec.layer(l - 1).activation().backward(ws.z[l - 1], ws.a[l - 1], daPrev, daPrev, rows * in);
      }
    }
    return new BatchStats(rows, lossSum, countCorrect(ws, rows));
  }

  /** Forward and loss only: the stats of these rows under p. */
  public BatchStats evaluate(Parameters p, Workspace ws, int rows) {
    forward(p, ws, rows);
    int last = spec.depth() - 1;
    double lossSum = spec.loss().sum(spec.output().activation(), ws.z[last], ws.a[last], ws.y, rows,
        spec.outputs());
    return new BatchStats(rows, lossSum, countCorrect(ws, rows));
  }

  /**
   * dW = dZᵀ A_prev, (out, in): directly, (out, rows) x (rows, in), or for many rows as the transpose
   * of A_prevᵀ dZ, (in, rows) x (rows, out) (see {@link #TRANSPOSED_WEIGHT_GRADIENT_ROWS}).
   */
  private void weightGradient(FloatBuffer dz, FloatBuffer aPrev, int rows, int in, int out,
      FloatBuffer dw, Workspace ws) {
    if (rows < transposedFrom) {
      blas.gemm(true, false, out, in, rows, 1f, dz, out, aPrev, in, 0f, dw, in);
      return;
    }
    FloatBuffer dwT = ws.weightGradientT(); // (in, out)
    blas.gemm(true, false, in, out, rows, 1f, aPrev, in, dz, out, 0f, dwT, out);
    transpose(dwT, in, out, dw);
  }

  /** dst (cols, rows) = src (rows, cols)ᵀ, in tiles of 32 x 32 through heap arrays (see Scratch). */
  static void transpose(FloatBuffer src, int rows, int cols, FloatBuffer dst) {
    final int t = 32; // t * t = Scratch.CHUNK
    float[][] s = Scratch.arrays();
    float[] tile = s[0];
    float[] flipped = s[1];
    for (int r0 = 0; r0 < rows; r0 += t) {
      int h = Math.min(t, rows - r0);
      for (int c0 = 0; c0 < cols; c0 += t) {
        int w = Math.min(t, cols - c0);
        for (int i = 0; i < h; i++) src.get((r0 + i) * cols + c0, tile, i * t, w);
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) flipped[j * t + i] = tile[i * t + j];
        }
        for (int j = 0; j < w; j++) dst.put((c0 + j) * rows + r0, flipped, j * t, h);
      }
    }
  }

  /** db = Σ_rows dZ, row by row in order (a fixed summation order, hence the same bits every time). */
  private static void columnSums(FloatBuffer dz, int rows, int cols, FloatBuffer db) {
    // Per block of columns, an accumulator array and one bulk row read per row (see Scratch): the
    // same additions in the same order as db[j] += dz[r][j] over r, vectorised across j.
    float[][] s = Scratch.arrays();
    float[] acc = s[0];
    float[] row = s[1];
    for (int c0 = 0; c0 < cols; c0 += Scratch.CHUNK) {
      int len = Math.min(Scratch.CHUNK, cols - c0);
      for (int j = 0; j < len; j++) acc[j] = 0f;
      for (int r = 0; r < rows; r++) {
        dz.get(r * cols + c0, row, 0, len);
        for (int j = 0; j < len; j++) acc[j] += row[j];
      }
      db.put(c0, acc, 0, len);
    }
  }

  /**
   * Rows predicted right. Classification: the arg-max output matches the arg-max target (one output:
   * z > 0 matches y = 1). Regression: every output within 0.5 of its target, which is the truth-table
   * accuracy for 0/1 targets (XOR with mse) and only informative for such targets.
   */
  private long countCorrect(Workspace ws, int rows) {
    int k = spec.outputs();
    FloatBuffer out = ws.output();
    FloatBuffer y = ws.y;
    long correct = 0;
    if (!spec.loss().classification()) {
      for (int r = 0; r < rows; r++) {
        boolean ok = true;
        for (int j = 0; j < k && ok; j++) ok = Math.abs(out.get(r * k + j) - y.get(r * k + j)) < 0.5f;
        if (ok) correct++;
      }
    } else if (k == 1) {
      FloatBuffer z = ws.logits();
      for (int r = 0; r < rows; r++) {
        if ((z.get(r) > 0f) == (y.get(r) > 0.5f)) correct++;
      }
    } else {
      for (int r = 0; r < rows; r++) {
        if (argmax(out, r * k, k) == argmax(y, r * k, k)) correct++;
      }
    }
    return correct;
  }

  /** Index of the first largest of n values starting at offset. */
  public static int argmax(FloatBuffer v, int offset, int n) {
    int best = 0;
    float max = v.get(offset);
    for (int j = 1; j < n; j++) {
      float x = v.get(offset + j);
      if (x > max) {
        max = x;
        best = j;
      }
    }
    return best;
  }
}
