package org.dtrain.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Checks backpropagation against central finite differences, layer by layer.
 *
 * <p>The fp32 backprop gradient of J = (1/m) Σ L_i is compared with (J(θ+h) − J(θ−h)) / 2h, where J
 * is evaluated in double precision from the same formulas, so the difference measures backprop's
 * error rather than fp32 cancellation in the quotient. Relative error per parameter:
 * |g − ĝ| / max(|g| + |ĝ|, 1e-6); each layer reports its maximum over W and b (at most
 * {@code perLayer} seeded coordinates each).
 */
public final class GradientCheck {
  /** Max relative error of one layer. */
  public record LayerError(int layer, String name, int checked, double maxRelativeError) {}

  private static final double H = 1e-4;

  private GradientCheck() {}

  /**
   * @param x inputs, (rows, n_0)
   * @param y targets, (rows, n_L)
   */
  public static List<LayerError> run(Network net, Parameters p, float[] x, float[] y, int rows,
      int perLayer, long seed) {
    ModelSpec spec = net.spec();
    spec.requireTrainable();
    Workspace ws = new Workspace(spec, rows);
    ws.load(x, y, 0, rows);
    Parameters grad = Parameters.zeros(spec);
    net.gradientSum(p, ws, rows, grad);
    grad.divide(rows);

    double[] theta = new double[p.count()];
    for (int i = 0; i < theta.length; i++) theta[i] = p.values().get(i);
    List<LayerError> out = new ArrayList<>();
    SplittableRandom rng = Seeds.stream(seed, Seeds.GRADCHECK);
    for (int l = 0; l < spec.depth(); l++) {
      LayerSpec ls = spec.layer(l);
      int start = p.offset(l);
      int n = ls.parameterCount();
      int checks = Math.min(n, perLayer);
      double worst = 0;
      for (int c = 0; c < checks; c++) {
        int i = start + (checks == n ? c : rng.nextInt(n));
        double saved = theta[i];
        theta[i] = saved + H;
        double plus = meanLoss(spec, theta, x, y, rows);
        theta[i] = saved - H;
        double minus = meanLoss(spec, theta, x, y, rows);
        theta[i] = saved;
        double numeric = (plus - minus) / (2 * H);
        double analytic = grad.values().get(i);
        double rel = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-6);
        worst = Math.max(worst, rel);
      }
      out.add(new LayerError(l, "layer " + (l + 1) + " (" + ls.in() + "->" + ls.out() + " "
          + ls.activation().text() + ")", checks, worst));
    }
    return out;
  }

  /** J(θ) = (1/m) Σ_i L_i in double precision, straight from the layer and loss formulas. */
  static double meanLoss(ModelSpec spec, double[] theta, float[] x, float[] y, int rows) {
    double total = 0;
    int nIn = spec.inputs();
    int nOut = spec.outputs();
    for (int r = 0; r < rows; r++) {
      double[] a = new double[nIn];
      for (int j = 0; j < nIn; j++) a[j] = x[r * nIn + j];
      double[] z = a;
      int o = 0;
      for (LayerSpec ls : spec.layers()) {
        z = new double[ls.out()];
        for (int i = 0; i < ls.out(); i++) {
          double s = theta[o + ls.out() * ls.in() + i];
          for (int j = 0; j < ls.in(); j++) s += theta[o + i * ls.in() + j] * a[j];
          z[i] = s;
        }
        a = activate(ls.activation(), z);
        o += ls.parameterCount();
      }
      for (int k = 0; k < nOut; k++) {
        double t = y[r * nOut + k];
        total += switch (spec.loss()) {
          case MSE -> 0.5 * (a[k] - t) * (a[k] - t);
          case MAE -> Math.abs(a[k] - t);
          case BINARY_CROSS_ENTROPY ->
              Math.max(z[k], 0) - z[k] * t + Math.log1p(Math.exp(-Math.abs(z[k])));
          case CROSS_ENTROPY -> t == 0 ? 0 : -t * Math.log(a[k]);
        };
      }
    }
    return total / rows;
  }

  private static double[] activate(Activation g, double[] z) {
    double[] a = new double[z.length];
    switch (g.kind()) {
      case SOFTMAX -> {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double s = 0;
        for (int i = 0; i < z.length; i++) s += a[i] = Math.exp(z[i] - max);
        for (int i = 0; i < z.length; i++) a[i] /= s;
      }
      default -> {
        for (int i = 0; i < z.length; i++) {
          double v = z[i];
          a[i] = switch (g.kind()) {
            case IDENTITY -> v;
            case SIGMOID -> 1 / (1 + Math.exp(-v));
            case TANH -> Math.tanh(v);
            case RELU -> Math.max(v, 0);
            case LEAKY_RELU -> v >= 0 ? v : g.alpha() * v;
            case STEP -> v > 0 ? 1 : 0;
            case SOFTMAX -> throw new AssertionError();
          };
        }
      }
    }
    return a;
  }
}
