package org.dtrain.nn;

import java.util.Locale;

/**
 * A deliberately naive, double-precision MLP written straight from the lecture formulas, used as the
 * oracle for the fp32 {@link Network}. It calls no main code: activations, losses, derivatives and
 * the parameter layout are re-implemented here, one sample at a time, with {@code double[][]} weights.
 *
 * <p>Per sample, per layer: forward {@code z = W a + b}, {@code a = g(z)}; backward
 * {@code dZ = dA ⊙ g'(Z)}, {@code dW += dZ a_prevᵀ}, {@code db += dZ}, {@code dA_prev = Wᵀ dZ}.
 * Unlike the main code, the output layer is NOT fused with the loss: dL/dŷ is formed from the loss
 * formula and pushed through g' (or the softmax Jacobian) by the chain rule, so the fused shortcut
 * {@code ŷ − y} of the main code is checked rather than repeated.
 *
 * <p>Losses of one sample (summed over the batch): mse ½Σ(ŷ−y)², mae Σ|ŷ−y| (derivative sign, 0 at 0),
 * binary_cross_entropy −Σ[y log ŷ + (1−y) log(1−ŷ)] (sigmoid output), cross_entropy −Σ y log ŷ
 * (softmax output). Gradients are of the SUM of the per-sample losses.
 */
final class ReferenceMlp {

  /** An activation by its text form: identity, sigmoid, tanh, relu, leaky_relu[:slope], softmax. */
  static final class Act {
    final String name;
    final double slope;

    Act(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.startsWith("leaky_relu")) {
        name = "leaky_relu";
        slope = t.contains(":") ? Double.parseDouble(t.substring(t.indexOf(':') + 1)) : 0.01;
      } else {
        name = t;
        slope = 0;
      }
      switch (name) {
        case "identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax" -> { }
        default -> throw new IllegalArgumentException("reference has no activation " + text);
      }
    }

    boolean kinked() {
      return name.equals("relu") || name.equals("leaky_relu");
    }

    /** Element-wise g for everything but softmax. */
    double g(double z) {
      return switch (name) {
        case "identity" -> z;
        case "sigmoid" -> 1.0 / (1.0 + Math.exp(-z));
        case "tanh" -> Math.tanh(z);
        case "relu" -> z > 0 ? z : 0;
        case "leaky_relu" -> z > 0 ? z : slope * z;
        default -> throw new IllegalStateException(name);
      };
    }

    /** g'(z); relu and leaky_relu take the right derivative at 0 (g'(0) = 1), as in the lectures. */
    double dg(double z) {
      return switch (name) {
        case "identity" -> 1;
        case "sigmoid" -> {
          double s = g(z);
          yield s * (1 - s);
        }
        case "tanh" -> {
          double t = Math.tanh(z);
          yield 1 - t * t;
        }
        case "relu" -> z >= 0 ? 1 : 0;
        case "leaky_relu" -> z >= 0 ? 1 : slope;
        default -> throw new IllegalStateException(name);
      };
    }

    double[] apply(double[] z) {
      double[] a = new double[z.length];
      if (name.equals("softmax")) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double s = 0;
        for (int i = 0; i < z.length; i++) {
          a[i] = Math.exp(z[i] - max); // e^{z_i} / Σ e^{z_j}, the shift cancels
          s += a[i];
        }
        for (int i = 0; i < z.length; i++) a[i] /= s;
      } else {
        for (int i = 0; i < z.length; i++) a[i] = g(z[i]);
      }
      return a;
    }

    /** dZ from dA by the chain rule; softmax through its full Jacobian ∂a_i/∂z_j = a_i(δ_ij − a_j). */
    double[] backward(double[] z, double[] a, double[] dA) {
      double[] dZ = new double[z.length];
      if (name.equals("softmax")) {
        for (int j = 0; j < z.length; j++) {
          double s = 0;
          for (int i = 0; i < z.length; i++) s += dA[i] * a[i] * ((i == j ? 1 : 0) - a[j]);
          dZ[j] = s;
        }
      } else {
        for (int i = 0; i < z.length; i++) dZ[i] = dA[i] * dg(z[i]);
      }
      return dZ;
    }
  }

  enum Cost { MSE, MAE, BCE, CE }

  static Cost cost(String text) {
    return switch (text) {
      case "mse" -> Cost.MSE;
      case "mae" -> Cost.MAE;
      case "binary_cross_entropy" -> Cost.BCE;
      case "cross_entropy" -> Cost.CE;
      default -> throw new IllegalArgumentException(text);
    };
  }

  /** Loss sum, correct count, gradient of the loss sum, and how close any sample came to a kink. */
  static final class Result {
    double lossSum;
    long correct;
    double[][][] dW;
    double[][] db;
    /**
     * min over relu/leaky_relu units of |z| and, for mae, of |ŷ − y|: when this is large compared to
     * a perturbation (finite-difference step, fp32 rounding) both sides are on the same smooth piece.
     */
    double kinkDistance = Double.POSITIVE_INFINITY;
  }

  final int[] sizes;
  final Act[] acts;
  final Cost cost;
  final double[][][] w; // w[l][i][j]: layer l, output unit i, input j
  final double[][] b;   // b[l][i]

  ReferenceMlp(int[] sizes, String hidden, String output, String loss) {
    this.sizes = sizes.clone();
    int depth = sizes.length - 1;
    acts = new Act[depth];
    for (int l = 0; l < depth; l++) acts[l] = new Act(l == depth - 1 ? output : hidden);
    cost = cost(loss);
    w = new double[depth][][];
    b = new double[depth][];
    for (int l = 0; l < depth; l++) {
      w[l] = new double[sizes[l + 1]][sizes[l]];
      b[l] = new double[sizes[l + 1]];
    }
  }

  int depth() {
    return acts.length;
  }

  int parameterCount() {
    int n = 0;
    for (int l = 0; l < depth(); l++) n += sizes[l + 1] * sizes[l] + sizes[l + 1];
    return n;
  }

  /** Sets all parameters from the documented flat layout: per layer, W row-major (out, in), then b. */
  void setFlat(double[] flat) {
    int o = 0;
    for (int l = 0; l < depth(); l++) {
      for (double[] row : w[l]) {
        for (int j = 0; j < row.length; j++) row[j] = flat[o++];
      }
      for (int i = 0; i < b[l].length; i++) b[l][i] = flat[o++];
    }
  }

  double[] getFlat() {
    double[] flat = new double[parameterCount()];
    int o = 0;
    for (int l = 0; l < depth(); l++) {
      for (double[] row : w[l]) {
        for (double v : row) flat[o++] = v;
      }
      for (double v : b[l]) flat[o++] = v;
    }
    return flat;
  }

  /** A gradient in the same flat layout as {@link #setFlat}. */
  double[] flatGradient(Result r) {
    double[] flat = new double[parameterCount()];
    int o = 0;
    for (int l = 0; l < depth(); l++) {
      for (double[] row : r.dW[l]) {
        for (double v : row) flat[o++] = v;
      }
      for (double v : r.db[l]) flat[o++] = v;
    }
    return flat;
  }

  double lossSum(double[][] x, double[][] y) {
    return run(x, y).lossSum;
  }

  /** Forward and backward over every sample (row) of x, summing losses and gradients. */
  Result run(double[][] x, double[][] y) {
    int depth = depth();
    Result res = new Result();
    res.dW = new double[depth][][];
    res.db = new double[depth][];
    for (int l = 0; l < depth; l++) {
      res.dW[l] = new double[sizes[l + 1]][sizes[l]];
      res.db[l] = new double[sizes[l + 1]];
    }
    for (int s = 0; s < x.length; s++) {
      // forward, keeping every layer's z and a (a[0] is the input)
      double[][] zs = new double[depth][];
      double[][] as = new double[depth + 1][];
      as[0] = x[s];
      for (int l = 0; l < depth; l++) {
        double[] z = new double[sizes[l + 1]];
        for (int i = 0; i < z.length; i++) {
          double v = b[l][i];
          for (int j = 0; j < sizes[l]; j++) v += w[l][i][j] * as[l][j];
          z[i] = v;
        }
        zs[l] = z;
        as[l + 1] = acts[l].apply(z);
        if (acts[l].kinked()) {
          for (double v : z) res.kinkDistance = Math.min(res.kinkDistance, Math.abs(v));
        }
      }
      double[] yhat = as[depth];
      double[] t = y[s];
      int k = yhat.length;

      // loss of this sample and dL/dŷ
      double[] dA = new double[k];
      double loss = 0;
      for (int i = 0; i < k; i++) {
        double d = yhat[i] - t[i];
        switch (cost) {
          case MSE -> {
            loss += 0.5 * d * d;
            dA[i] = d;
          }
          case MAE -> {
            loss += Math.abs(d);
            dA[i] = d > 0 ? 1 : d < 0 ? -1 : 0;
            res.kinkDistance = Math.min(res.kinkDistance, Math.abs(d));
          }
          case BCE -> {
            loss += -(t[i] * Math.log(yhat[i]) + (1 - t[i]) * Math.log(1 - yhat[i]));
            dA[i] = -t[i] / yhat[i] + (1 - t[i]) / (1 - yhat[i]);
          }
          case CE -> {
            if (t[i] != 0) {
              loss += -t[i] * Math.log(yhat[i]);
              dA[i] = -t[i] / yhat[i];
            }
          }
        }
      }
      res.lossSum += loss;
      if (correct(zs[depth - 1], yhat, t)) res.correct++;

      // backward
      for (int l = depth - 1; l >= 0; l--) {
        double[] dZ = acts[l].backward(zs[l], as[l + 1], dA);
        double[] aPrev = as[l];
        for (int i = 0; i < dZ.length; i++) {
          for (int j = 0; j < aPrev.length; j++) res.dW[l][i][j] += dZ[i] * aPrev[j];
          res.db[l][i] += dZ[i];
        }
        double[] dPrev = new double[aPrev.length];
        for (int j = 0; j < aPrev.length; j++) {
          double v = 0;
          for (int i = 0; i < dZ.length; i++) v += w[l][i][j] * dZ[i]; // Wᵀ dZ
          dPrev[j] = v;
        }
        dA = dPrev;
      }
    }
    return res;
  }

  /**
   * The accuracy rule documented on the network: classification, arg-max of ŷ equals arg-max of y
   * (one output: z > 0 iff y > 0.5); regression, every output within 0.5 of its target.
   */
  private boolean correct(double[] z, double[] yhat, double[] t) {
    if (cost == Cost.MSE || cost == Cost.MAE) {
      for (int i = 0; i < yhat.length; i++) {
        if (!(Math.abs(yhat[i] - t[i]) < 0.5)) return false;
      }
      return true;
    }
    if (yhat.length == 1) {
      return (z[0] > 0) == (t[0] > 0.5);
    }
    return argmax(yhat) == argmax(t);
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) best = i;
    }
    return best;
  }
}
