package org.dtrain.nn;

import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * Per-sample losses L_i; the objective is J = (1/m) Σ_i L_i, but everything here returns the sum
 * Σ_i L_i over the rows given and the gradient of that sum, so that shard sums can be added and
 * divided once (DESIGN.md, "The one invariant").
 *
 * <ul>
 *   <li>{@code mse}: L = ½ Σ_k (ŷ_k − y_k)², dL/dŷ = ŷ − y.
 *   <li>{@code mae}: L = Σ_k |ŷ_k − y_k|, dL/dŷ = sign(ŷ − y) (0 at 0).
 *   <li>{@code binary_cross_entropy}: sigmoid output, L = −Σ_k [y log ŷ + (1−y) log(1−ŷ)], evaluated
 *       from the logit z as max(z,0) − z y + log(1 + e^−|z|), so saturation gives no NaN or Inf;
 *       fused gradient dL/dz = ŷ − y.
 *   <li>{@code cross_entropy}: softmax output, L = −Σ_k y_k log ŷ_k = Σ_k y_k (lse(z) − z_k) with the
 *       log-sum-exp shifted by max(z); fused gradient dL/dz = ŷ − y (for Σ_k y_k = 1).
 * </ul>
 */
public enum Loss {
  MSE, MAE, BINARY_CROSS_ENTROPY, CROSS_ENTROPY;

  public static final String ALLOWED = "mse, mae, binary_cross_entropy, cross_entropy";

  public static Loss parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (Loss l : values()) {
      if (l.text().equals(t)) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown loss '" + text + "': expected one of " + ALLOWED);
  }

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Classification losses take integer labels (one-hot targets); the others take real targets. */
  public boolean classification() {
    return this == BINARY_CROSS_ENTROPY || this == CROSS_ENTROPY;
  }

  /** The output activation this loss is fused with, or null when any trainable one will do. */
  public Activation.Kind requiredOutput() {
    return switch (this) {
      case BINARY_CROSS_ENTROPY -> Activation.Kind.SIGMOID;
      case CROSS_ENTROPY -> Activation.Kind.SOFTMAX;
      default -> null;
    };
  }

  /**
   * Computes Σ_rows L and writes the output layer's dZ (the gradient of that sum with respect to the
   * logits Z).
   *
   * @param g the output activation
   * @param z logits, (rows, cols)
   * @param a outputs ŷ = g(z), (rows, cols); cross_entropy writes them itself (softmax(z): the
   *     same bits as the activation's forward), from the exps of its log-sum-exp
   * @param y targets, (rows, cols)
   * @param dz written: dΣL/dZ, (rows, cols); null to compute the loss only
   * @return the loss summed over the rows, accumulated in double
   */
  public double sumAndGradient(Activation g, FloatBuffer z, FloatBuffer a, FloatBuffer y,
      FloatBuffer dz, int rows, int cols) {
    int n = rows * cols;
    double sum = 0;
    switch (this) {
      case MSE -> {
        for (int i = 0; i < n; i++) {
          float d = a.get(i) - y.get(i);
          sum += 0.5 * d * d;
          if (dz != null) dz.put(i, d); // dA, turned into dZ below
        }
        if (dz != null) g.backward(z, a, dz, dz, n);
      }
      case MAE -> {
        for (int i = 0; i < n; i++) {
          float d = a.get(i) - y.get(i);
          sum += Math.abs(d);
          if (dz != null) dz.put(i, Math.signum(d));
        }
        if (dz != null) g.backward(z, a, dz, dz, n);
      }
      case BINARY_CROSS_ENTROPY -> {
        for (int i = 0; i < n; i++) {
          double zi = z.get(i);
          double yi = y.get(i);
          sum += Math.max(zi, 0) - zi * yi + Math.log1p(Math.exp(-Math.abs(zi)));
          if (dz != null) dz.put(i, a.get(i) - y.get(i));
        }
      }
      case CROSS_ENTROPY -> {
        for (int r = 0; r < rows; r++) {
          int o = r * cols;
          double lse = Activation.softmaxRow(z, a, o, cols); // a = softmax(z) again: the same bits
          for (int j = 0; j < cols; j++) {
            float yj = y.get(o + j);
            if (yj != 0f) {
              sum += yj * (lse - z.get(o + j));
            }
            if (dz != null) dz.put(o + j, a.get(o + j) - yj);
          }
        }
      }
    }
    return sum;
  }

  /**
   * The output layer's A = g(Z), then {@link #sumAndGradient}. cross_entropy computes the softmax
   * itself, from the same exps as its log-sum-exp, so its forward is not run first: each logit's
   * exp is taken once, and a, dz and the sum have the bits of the two steps one after the other.
   */
  public double forwardSumAndGradient(Activation g, FloatBuffer z, FloatBuffer a, FloatBuffer y,
      FloatBuffer dz, int rows, int cols) {
    if (this != CROSS_ENTROPY) {
      g.forward(z, a, rows, cols);
    }
    return sumAndGradient(g, z, a, y, dz, rows, cols);
  }

  /** Σ_rows L only, from outputs and logits (evaluation; no gradient). */
  public double sum(Activation g, FloatBuffer z, FloatBuffer a, FloatBuffer y, int rows, int cols) {
    return sumAndGradient(g, z, a, y, null, rows, cols);
  }
}
