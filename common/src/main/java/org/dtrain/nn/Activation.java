package org.dtrain.nn;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Locale;
import org.dtrain.math.Scratch;

/**
 * An activation g and its derivative g', side by side.
 *
 * <p>Written in job files and flags as {@code identity}, {@code step}, {@code sigmoid}, {@code tanh},
 * {@code relu}, {@code leaky_relu} (slope 0.01) or {@code leaky_relu:0.2}, {@code softmax}.
 * {@code step} has no usable derivative and serves inference only; {@code softmax} is only allowed on
 * the output layer, fused with {@code cross_entropy} (see {@link Loss}).
 */
public final class Activation {
  public enum Kind { IDENTITY, STEP, SIGMOID, TANH, RELU, LEAKY_RELU, SOFTMAX }

  public static final String ALLOWED =
      "identity, step, sigmoid, tanh, relu, leaky_relu, leaky_relu:<slope>, softmax";
  public static final float DEFAULT_LEAKY_SLOPE = 0.01f;

  private final Kind kind;
  private final float alpha; // leaky_relu slope, 0 otherwise

  private Activation(Kind kind, float alpha) {
    this.kind = kind;
    this.alpha = alpha;
  }

  public static Activation of(Kind kind) {
    return new Activation(kind, kind == Kind.LEAKY_RELU ? DEFAULT_LEAKY_SLOPE : 0f);
  }

  public static Activation leakyRelu(float slope) {
    if (!(slope >= 0f && slope < 1f)) {
      throw new IllegalArgumentException("leaky_relu slope must be in [0, 1), found " + slope);
    }
    return new Activation(Kind.LEAKY_RELU, slope);
  }

  /** Parses "relu", "leaky_relu:0.2", ...; the message names the allowed values. */
  public static Activation parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("leaky_relu:")) {
      String slope = t.substring("leaky_relu:".length());
      try {
        return leakyRelu(Float.parseFloat(slope));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "leaky_relu slope: expected a number like leaky_relu:0.2, found '" + text + "'");
      }
    }
    for (Kind k : Kind.values()) {
      if (k.name().toLowerCase(Locale.ROOT).equals(t)) {
        return of(k);
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + text + "': expected one of " + ALLOWED);
  }

  public Kind kind() {
    return kind;
  }

  public float alpha() {
    return alpha;
  }

  /** The canonical text form, parsed back by {@link #parse}. */
  public String text() {
    if (kind == Kind.LEAKY_RELU && alpha != DEFAULT_LEAKY_SLOPE) {
      return "leaky_relu:" + alpha;
    }
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /** Whether the initialiser should use He (ReLU family) rather than Xavier/Glorot. */
  public boolean reluFamily() {
    return kind == Kind.RELU || kind == Kind.LEAKY_RELU;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Activation other && other.kind == kind && other.alpha == alpha;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Float.hashCode(alpha);
  }

  @Override
  public String toString() {
    return text();
  }

  /** A = g(Z) over {@code rows} rows of {@code cols}; softmax normalises each row. */
  public void forward(FloatBuffer z, FloatBuffer a, int rows, int cols) {
    int n = rows * cols;
    switch (kind) {
      case IDENTITY -> a.put(0, z, 0, n);
      case STEP -> {
        for (int i = 0; i < n; i++) a.put(i, z.get(i) > 0f ? 1f : 0f);
      }
      case SIGMOID -> {
        for (int i = 0; i < n; i++) a.put(i, sigmoid(z.get(i)));
      }
      case TANH -> {
        for (int i = 0; i < n; i++) a.put(i, (float) Math.tanh(z.get(i)));
      }
      case RELU -> {
        float[] s = Scratch.arrays()[0];
        for (int o = 0; o < n; o += Scratch.CHUNK) { // heap chunks: vectorised (see Scratch)
          int len = Math.min(Scratch.CHUNK, n - o);
          z.get(o, s, 0, len);
          for (int i = 0; i < len; i++) s[i] = Math.max(s[i], 0f);
          a.put(o, s, 0, len);
        }
      }
      case LEAKY_RELU -> {
        for (int i = 0; i < n; i++) { // select by a mask on the bits: no branch (nonNegativeMask)
          float v = z.get(i);
          int pos = Float.floatToRawIntBits(v);
          int keep = nonNegativeMask(pos);
          a.put(i, Float.intBitsToFloat((pos & keep) | (Float.floatToRawIntBits(alpha * v) & ~keep)));
        }
      }
      case SOFTMAX -> softmaxRows(z, a, rows, cols);
    }
  }

  /**
   * dZ = dA ⊙ g'(Z), element-wise over n values; dA and dZ may be the same buffer. The derivative of
   * each activation, next to its value above:
   * identity 1; sigmoid a(1-a); tanh 1-a²; relu 1 if z >= 0 else 0 (g'(0) = 1, as in the lectures);
   * leaky_relu 1 if z >= 0 else slope.
   */
  public void backward(FloatBuffer z, FloatBuffer a, FloatBuffer dA, FloatBuffer dZ, int n) {
    switch (kind) {
      case IDENTITY -> {
        if (dA != dZ) {
          for (int i = 0; i < n; i++) dZ.put(i, dA.get(i));
        }
      }
      case SIGMOID -> {
        float[][] s = Scratch.arrays();
        float[] as = s[0];
        float[] ds = s[1];
        for (int o = 0; o < n; o += Scratch.CHUNK) { // heap chunks: vectorised (see Scratch)
          int len = Math.min(Scratch.CHUNK, n - o);
          a.get(o, as, 0, len);
          dA.get(o, ds, 0, len);
          for (int i = 0; i < len; i++) {
            float si = as[i];
            ds[i] = ds[i] * si * (1f - si);
          }
          dZ.put(o, ds, 0, len);
        }
      }
      case TANH -> {
        float[][] s = Scratch.arrays();
        float[] as = s[0];
        float[] ds = s[1];
        for (int o = 0; o < n; o += Scratch.CHUNK) {
          int len = Math.min(Scratch.CHUNK, n - o);
          a.get(o, as, 0, len);
          dA.get(o, ds, 0, len);
          for (int i = 0; i < len; i++) {
            float t = as[i];
            ds[i] = ds[i] * (1f - t * t);
          }
          dZ.put(o, ds, 0, len);
        }
      }
      case RELU, LEAKY_RELU -> reluFamilyBackward(z, dA, dZ, n);
      case STEP -> throw new IllegalStateException(
          "step has no usable derivative (0 everywhere but z = 0); it cannot be trained through");
      case SOFTMAX -> throw new IllegalStateException(
          "softmax is differentiated only fused with cross_entropy (dZ = ŷ - y)");
    }
  }

  /**
   * {@link #backward} in place, d from dA into dZ, given int views of z and d (the same memory): relu
   * tests z's sign and keeps or clears d on their bits, a loop of int operations that C2 vectorises.
   */
  public void backwardInPlace(FloatBuffer z, FloatBuffer a, FloatBuffer d, IntBuffer zBits,
      IntBuffer dBits, int n) {
    if (kind != Kind.RELU) {
      backward(z, a, d, d, n);
      return;
    }
    int[][] s = Scratch.ints();
    int[] zs = s[0];
    int[] ds = s[1];
    for (int o = 0; o < n; o += Scratch.CHUNK) {
      int len = Math.min(Scratch.CHUNK, n - o);
      zBits.get(o, zs, 0, len);
      dBits.get(o, ds, 0, len);
      for (int i = 0; i < len; i++) ds[i] &= nonNegativeMask(zs[i]);
      dBits.put(o, ds, 0, len);
    }
  }

  /**
   * All one bits where {@code z >= 0f} (so for -0 too, and never for NaN), else 0, from z's bits
   * with no branch: C2 lays a branch out by the profile it saw first, and a branch on the sign of
   * z mispredicts about every other element (a worker process was measured spending 4 times as long
   * in the relu derivative as another one with the same code and data).
   */
  static int nonNegativeMask(int zBits) {
    int zero = ((zBits & 0x7FFFFFFF) - 1) >> 31;              // +0 or -0
    int positive = ((zBits - 0x7F800001) & ~zBits) >> 31;     // sign clear, at most +inf: not NaN
    return zero | positive;
  }

  /**
   * dZ = dA where z >= 0, else +0 for relu and slope * dA for leaky relu: the bits of
   * {@code z >= 0f ? dA : 0f} and {@code z >= 0f ? dA : slope * dA}, in heap chunks.
   */
  private void reluFamilyBackward(FloatBuffer z, FloatBuffer dA, FloatBuffer dZ, int n) {
    boolean leaky = kind == Kind.LEAKY_RELU;
    float[][] s = Scratch.arrays();
    float[] zs = s[0];
    float[] ds = s[1];
    for (int o = 0; o < n; o += Scratch.CHUNK) {
      int len = Math.min(Scratch.CHUNK, n - o);
      z.get(o, zs, 0, len);
      dA.get(o, ds, 0, len);
      for (int i = 0; i < len; i++) {
        int keep = nonNegativeMask(Float.floatToRawIntBits(zs[i]));
        int below = leaky ? Float.floatToRawIntBits(alpha * ds[i]) : 0;
        ds[i] = Float.intBitsToFloat((Float.floatToRawIntBits(ds[i]) & keep) | (below & ~keep));
      }
      dZ.put(o, ds, 0, len);
    }
  }

  static float sigmoid(float z) {
    return (float) (1.0 / (1.0 + Math.exp(-z)));
  }

  /** Row-wise softmax, shifted by the row max so exp never overflows. */
  private static void softmaxRows(FloatBuffer z, FloatBuffer a, int rows, int cols) {
    for (int r = 0; r < rows; r++) softmaxRow(z, a, r * cols, cols);
  }

  /**
   * a = softmax(z) over the {@code cols} values from {@code o}; returns their log-sum-exp
   * max + log Σ exp(z - max), which cross_entropy takes from the same sum (Loss).
   */
  static double softmaxRow(FloatBuffer z, FloatBuffer a, int o, int cols) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < cols; j++) max = Math.max(max, z.get(o + j));
    double sum = 0;
    for (int j = 0; j < cols; j++) {
      double e = Math.exp(z.get(o + j) - max);
      a.put(o + j, (float) e);
      sum += e;
    }
    double inv = 1.0 / sum;
    for (int j = 0; j < cols; j++) a.put(o + j, (float) (a.get(o + j) * inv));
    return max + Math.log(sum);
  }
}
