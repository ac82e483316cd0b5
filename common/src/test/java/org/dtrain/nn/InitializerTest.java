package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.dtrain.math.Buffers;
import org.junit.jupiter.api.Test;

class InitializerTest {

  private static Parameters init(ModelSpec spec, long seed) {
    Parameters p = Parameters.zeros(spec);
    Buffers.fill(p.values(), p.count(), 1f); // so that "biases are zero" means "were set to zero"
    Initializer.initialize(p, seed);
    return p;
  }

  private static final ModelSpec SMALL = ModelSpec.of(new int[] {4, 8, 3}, Activation.parse("relu"),
      Activation.parse("softmax"), Loss.CROSS_ENTROPY);

  @Test
  void sameSeedGivesBitwiseIdenticalParameters() {
    assertArrayEquals(init(SMALL, 123).toArray(), init(SMALL, 123).toArray());
  }

  @Test
  void differentSeedGivesDifferentWeights() {
    float[] a = init(SMALL, 123).toArray();
    float[] b = init(SMALL, 124).toArray();
    int same = 0;
    int weights = 0;
    Parameters layout = Parameters.zeros(SMALL);
    for (int l = 0; l < SMALL.depth(); l++) {
      int o = layout.offset(l);
      for (int i = o; i < o + SMALL.layer(l).out() * SMALL.layer(l).in(); i++) {
        weights++;
        if (a[i] == b[i]) same++;
      }
    }
    assertEquals(0, same, "of " + weights + " weights, " + same + " coincide");
  }

  @Test
  void aLayersWeightsDoNotDependOnTheOtherLayers() {
    // Documented: layer l draws from the stream (seed, INIT, l) alone.
    ModelSpec other = ModelSpec.of(new int[] {4, 8, 7, 2}, Activation.parse("relu"),
        Activation.parse("sigmoid"), Loss.BINARY_CROSS_ENTROPY);
    Parameters a = init(SMALL, 5);
    Parameters b = init(other, 5);
    assertArrayEquals(Buffers.toArray(a.weights(0)), Buffers.toArray(b.weights(0)));
  }

  @Test
  void biasesStartAtZero() {
    Parameters p = init(SMALL, 77);
    for (int l = 0; l < SMALL.depth(); l++) {
      for (float v : Buffers.toArray(p.bias(l))) assertEquals(0f, v, "layer " + l);
    }
  }

  /** mean, variance, max |w| and kurtosis of a layer's weights, in double. */
  private static double[] moments(FloatBuffer w) {
    int n = w.capacity();
    double sum = 0;
    double max = 0;
    for (int i = 0; i < n; i++) {
      sum += w.get(i);
      max = Math.max(max, Math.abs(w.get(i)));
    }
    double mean = sum / n;
    double m2 = 0;
    double m4 = 0;
    for (int i = 0; i < n; i++) {
      double d = w.get(i) - mean;
      m2 += d * d;
      m4 += d * d * d * d;
    }
    m2 /= n;
    m4 /= n;
    return new double[] {mean, m2, max, m4 / (m2 * m2)};
  }

  @Test
  void reluLayersGetHeNormalWithStdSqrtTwoOverFanIn() {
    // 1000 -> 400: N = 400,000 draws. Standard errors: mean σ/√N, std ≈ σ/√(2N) ≈ 0.11% of σ,
    // kurtosis √(24/N) ≈ 0.008. Tolerances are ~9 standard errors: no flakiness, and still tight
    // enough to tell N(0, 2/n_in) from N(0, 1/n_in) (41% off) or a uniform law (kurtosis 1.8).
    ModelSpec spec = ModelSpec.of(new int[] {1000, 400, 1}, Activation.parse("leaky_relu:0.2"),
        Activation.parse("identity"), Loss.MSE);
    double[] mo = moments(init(spec, 2024).weights(0));
    double sigma = Math.sqrt(2.0 / 1000);
    int n = 400_000;
    assertTrue(Math.abs(mo[0]) < 9 * sigma / Math.sqrt(n), "mean " + mo[0]);
    assertEquals(sigma, Math.sqrt(mo[1]), 0.01 * sigma, "std");
    assertEquals(3.0, mo[3], 0.08, "kurtosis of a normal law");
  }

  @Test
  void otherLayersGetXavierUniformWithinSqrtSixOverFanInPlusFanOut() {
    // 600 -> 400 tanh: U(−r, r) with r = √(6/1000): every |w| ≤ r, the largest of 240,000 draws
    // is within r/10⁴ of r (fails with probability e^{-24}), variance r²/3 within 1% (SE 0.13%).
    ModelSpec spec = ModelSpec.of(new int[] {600, 400, 10}, Activation.parse("tanh"),
        Activation.parse("softmax"), Loss.CROSS_ENTROPY);
    Parameters p = init(spec, 99);
    double r = Math.sqrt(6.0 / 1000);
    double[] mo = moments(p.weights(0));
    assertTrue(mo[2] <= r, "max " + mo[2] + " > r " + r);
    assertTrue(mo[2] > r * (1 - 1e-4), "max " + mo[2] + " far below r " + r);
    assertEquals(r * r / 3, mo[1], 0.01 * r * r / 3, "variance");
    assertTrue(Math.abs(mo[0]) < 9 * r / Math.sqrt(3 * 240_000.0), "mean " + mo[0]);
    assertEquals(1.8, mo[3], 0.05, "kurtosis of a uniform law");
    // The softmax output layer 400 -> 10 uses Xavier too: bound √(6/410).
    double r1 = Math.sqrt(6.0 / 410);
    double[] out = moments(p.weights(1));
    assertTrue(out[2] <= r1 && out[2] > 0.98 * r1, "output layer max " + out[2] + " vs " + r1);
  }
}
