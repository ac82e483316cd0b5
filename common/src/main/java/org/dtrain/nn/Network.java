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
  private final ModelSpec spec;
  private final Blas blas;

  public Network(ModelSpec spec) {
    this(spec, Blas.get());
  }

  public Network(ModelSpec spec, Blas blas) {
    this.spec = spec;
    this.blas = blas;
  }

  public ModelSpec spec() {
    return spec;
  }

  /**
   * Forward, loss and backward over the workspace's batch of {@code rows} rows, in passes of at most
   * {@link Workspace#PASS_ROWS} rows (see there why). Each pass runs forward and backward over its
   * rows and adds its sums to the gradient, the passes in row order; so the bits depend on the rows
   * and their order only, never on the workspace.
   *
   * @param grad overwritten with the gradient of Σ_rows L with respect to every parameter
   * @return the row count, loss sum and correct count of these rows
   */
  public BatchStats gradientSum(Parameters p, Workspace ws, int rows, Parameters grad) {
    ws.checkBatch(rows);
    if (rows == 0) { // no pass: the sums over no rows
      grad.clear();
      return BatchStats.EMPTY;
    }
    FloatBuffer w0 = firstWeights(p, ws); // (out_0, in_0)
    int in0 = firstInputs(ws);
    FloatBuffer dw0 = ws.columns == null ? grad.weights(0) : ws.narrowWeightGradient(); // (out_0, in_0)
    int last = spec.depth() - 1;
    int nOut = spec.outputs();
    double lossSum = 0;
    long correct = 0;
    for (int first = 0; first < rows; first += Workspace.PASS_ROWS) {
      int n = Math.min(Workspace.PASS_ROWS, rows - first);
      boolean add = first > 0; // the first pass overwrites the gradient, the others add to it
      ws.fill(first, n);
      forward(p, w0, in0, ws, n, false); // the loss computes the output activation with it
      lossSum += spec.loss().forwardSumAndGradient(spec.output().activation(), ws.z[last],
          ws.a[last], ws.y, ws.delta[last], n, nOut);
      correct += countCorrect(ws, n);
      for (int l = last; l >= 0; l--) {
        int in = l == 0 ? in0 : spec.layer(l).in();
        int out = spec.layer(l).out();
        FloatBuffer dz = ws.delta[l];                    // (n, out), already dZ
        FloatBuffer aPrev = l == 0 ? ws.x : ws.a[l - 1]; // (n, in)
        // dW (+)= dZᵀ A_prev: (out, n) x (n, in)
        blas.gemm(true, false, out, in, n, 1f, dz, out, aPrev, in, add ? 1f : 0f,
            l == 0 ? dw0 : grad.weights(l), in);
        columnSums(dz, n, out, grad.bias(l), add);
        if (l > 0) {
          FloatBuffer daPrev = ws.delta[l - 1]; // (n, in)
          // dA_prev = dZ W: (n, out) x (out, in)
          blas.gemm(false, false, n, in, out, 1f, dz, out, p.weights(l), in, 0f, daPrev, in);
          spec.layer(l - 1).activation().backwardInPlace(ws.z[l - 1], ws.a[l - 1], daPrev,
              ws.zBits[l - 1], ws.deltaBits[l - 1], n * in);
        }
      }
    }
    if (ws.columns != null) { // dW_0 over the used columns, zeros in the others
      ws.columns.widen(dw0, spec.layer(0).out(), grad.weights(0));
    }
    return new BatchStats(rows, lossSum, correct);
  }

  /**
   * Forward and loss only: the stats of the workspace's batch of {@code rows} rows under p, in passes
   * as {@link #gradientSum}. Afterwards {@link Workspace#output()} holds the last pass's outputs, so
   * all of them when {@code rows <= Workspace.PASS_ROWS}.
   */
  public BatchStats evaluate(Parameters p, Workspace ws, int rows) {
    ws.checkBatch(rows);
    FloatBuffer w0 = firstWeights(p, ws);
    int in0 = firstInputs(ws);
    int last = spec.depth() - 1;
    double lossSum = 0;
    long correct = 0;
    for (int first = 0; first < rows; first += Workspace.PASS_ROWS) {
      int n = Math.min(Workspace.PASS_ROWS, rows - first);
      ws.fill(first, n);
      forward(p, w0, in0, ws, n, true);
      lossSum += spec.loss().sum(spec.output().activation(), ws.z[last], ws.a[last], ws.y, n,
          spec.outputs());
      correct += countCorrect(ws, n);
    }
    return new BatchStats(rows, lossSum, correct);
  }

  /** W_0 as the first layer reads it: only its used columns when the batch is narrowed. */
  private FloatBuffer firstWeights(Parameters p, Workspace ws) {
    if (ws.columns == null) {
      return p.weights(0);
    }
    FloatBuffer w = ws.narrowWeights(); // (out_0, used)
    ws.columns.narrow(p.weights(0), spec.layer(0).out(), w);
    return w;
  }

  /** The width of the rows in ws.x: the used columns when the batch is narrowed. */
  private int firstInputs(Workspace ws) {
    return ws.columns == null ? spec.inputs() : ws.columns.used();
  }

  /**
   * Z (and A) of every layer for the n rows in ws.x, with W_0 given (maybe narrowed to in0 columns);
   * the output layer's A only when {@code outputActivation}.
   */
  private void forward(Parameters p, FloatBuffer w0, int in0, Workspace ws, int n,
      boolean outputActivation) {
    FloatBuffer aPrev = ws.x; // (n, in)
    for (int l = 0; l < spec.depth(); l++) {
      LayerSpec ls = spec.layer(l);
      int in = l == 0 ? in0 : ls.in();
      int out = ls.out();
      FloatBuffer w = l == 0 ? w0 : p.weights(l); // (out, in)
      FloatBuffer z = ws.z[l]; // (n, out)
      FloatBuffer b = p.bias(l);
      for (int r = 0; r < n; r++) {
        z.put(r * out, b, 0, out);
      }
      // Z = A_prev Wᵀ + Z, with W (out, in) row-major
      blas.gemm(false, true, n, out, in, 1f, aPrev, in, w, in, 1f, z, out);
      if (outputActivation || l < spec.depth() - 1) ls.activation().forward(z, ws.a[l], n, out);
      aPrev = ws.a[l];
    }
  }

  /**
   * db = Σ_rows dZ, or db += Σ_rows dZ when {@code add}, row by row in order (a fixed summation order,
   * hence the same bits every time; the passes of a batch continue one sum over all its rows).
   */
  private static void columnSums(FloatBuffer dz, int rows, int cols, FloatBuffer db, boolean add) {
    // Per block of columns, an accumulator array and one bulk row read per row (see Scratch): the
    // same additions in the same order as db[j] += dz[r][j] over r, vectorised across j.
    float[][] s = Scratch.arrays();
    float[] acc = s[0];
    float[] row = s[1];
    for (int c0 = 0; c0 < cols; c0 += Scratch.CHUNK) {
      int len = Math.min(Scratch.CHUNK, cols - c0);
      if (add) db.get(c0, acc, 0, len);
      else for (int j = 0; j < len; j++) acc[j] = 0f;
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
