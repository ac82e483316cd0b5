package org.dtrain.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.provider.Arguments;

/** Shared test data: the trainable activation × (output, loss) grid and seeded random batches. */
final class NnFixtures {
  private NnFixtures() {}

  /** Every trainable hidden activation (step is inference-only, softmax output-only). */
  static final String[] HIDDEN = {"identity", "sigmoid", "tanh", "relu", "leaky_relu:0.2"};

  /** Every valid (output activation, loss) pair exercised: {output, loss}. */
  static final String[][] HEADS = {
      {"identity", "mse"}, {"sigmoid", "mse"}, {"tanh", "mse"},
      {"identity", "mae"}, {"sigmoid", "mae"}, {"tanh", "mae"},
      {"sigmoid", "binary_cross_entropy"},
      {"softmax", "cross_entropy"},
  };

  /** (hidden, output, loss) for every combination of the two grids above. */
  static List<Arguments> grid() {
    List<Arguments> out = new ArrayList<>();
    for (String h : HIDDEN) {
      for (String[] head : HEADS) out.add(Arguments.of(h, head[0], head[1]));
    }
    return out;
  }

  static ModelSpec spec(int[] sizes, String hidden, String output, String loss) {
    return ModelSpec.of(sizes, Activation.parse(hidden), Activation.parse(output), Loss.parse(loss))
        .requireTrainable();
  }

  /** Uniform(−1, 1) inputs, (rows, n) row-major. */
  static float[] inputs(SplittableRandom rng, int rows, int n) {
    float[] x = new float[rows * n];
    for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextDouble() * 2 - 1);
    return x;
  }

  /** Targets in the range the output can reach: one-hot for cross_entropy, 0/1 for BCE. */
  static float[] targets(SplittableRandom rng, int rows, int k, String output, String loss) {
    float[] y = new float[rows * k];
    switch (loss) {
      case "cross_entropy" -> {
        for (int r = 0; r < rows; r++) y[r * k + rng.nextInt(k)] = 1f;
      }
      case "binary_cross_entropy" -> {
        for (int i = 0; i < y.length; i++) y[i] = rng.nextBoolean() ? 1f : 0f;
      }
      default -> {
        for (int i = 0; i < y.length; i++) {
          double u = rng.nextDouble();
          y[i] = (float) switch (output) {
            case "sigmoid" -> 0.05 + 0.9 * u;
            case "tanh" -> -0.9 + 1.8 * u;
            default -> -1.5 + 3 * u;
          };
        }
      }
    }
    return y;
  }

  /** Weights ~ U(−r, r) with r = 1.5 sqrt(3 / in) (std 1.5/sqrt(in): units are neither dead nor
   * saturated), biases ~ U(−0.3, 0.3), so every unit sees a range of signs. */
  static void randomize(Parameters p, SplittableRandom rng) {
    ModelSpec spec = p.spec();
    for (int l = 0; l < spec.depth(); l++) {
      LayerSpec ls = spec.layer(l);
      double r = 1.5 * Math.sqrt(3.0 / ls.in());
      for (int i = 0; i < ls.out() * ls.in(); i++) {
        p.weights(l).put(i, (float) ((rng.nextDouble() * 2 - 1) * r));
      }
      for (int i = 0; i < ls.out(); i++) p.bias(l).put(i, (float) ((rng.nextDouble() * 2 - 1) * 0.3));
    }
  }

  static double[][] rows(float[] flat, int rows, int cols) {
    double[][] out = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) out[r][c] = flat[r * cols + c];
    }
    return out;
  }

  static double[] toDouble(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }

  /** A model, seeded fp32 parameters and batch, and the double reference holding the same values. */
  record Case(ModelSpec spec, Parameters p, float[] x, float[] y, int rows, ReferenceMlp ref,
      ReferenceMlp.Result expected) {}

  /**
   * Draws seeded parameters and data (seed, seed + 1, ... until accepted) such that no relu/leaky_relu
   * pre-activation and no mae residual is within {@code minKink} of its kink, so that fp32 rounding
   * (or a finite-difference step) cannot put a unit on the other side of a non-differentiable point
   * than the double reference. Deterministic for a given seed.
   */
  static Case makeCase(int[] sizes, String hidden, String output, String loss, int rows, long seed,
      double minKink) {
    ModelSpec spec = spec(sizes, hidden, output, loss);
    Parameters p = Parameters.zeros(spec);
    ReferenceMlp ref = new ReferenceMlp(sizes, hidden, output, loss);
    int k = sizes[sizes.length - 1];
    for (long s = seed; ; s++) {
      SplittableRandom rng = new SplittableRandom(s);
      randomize(p, rng);
      float[] x = inputs(rng, rows, sizes[0]);
      float[] y = targets(rng, rows, k, output, loss);
      ref.setFlat(toDouble(p.toArray()));
      ReferenceMlp.Result r = ref.run(rows(x, rows, sizes[0]), rows(y, rows, k));
      if (r.kinkDistance > minKink) {
        return new Case(spec, p, x, y, rows, ref, r);
      }
    }
  }
}
