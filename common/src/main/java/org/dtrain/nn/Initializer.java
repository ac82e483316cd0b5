package org.dtrain.nn;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * Initial weights; biases start at 0.
 *
 * <ul>
 *   <li>Xavier/Glorot uniform for sigmoid, tanh, identity, step and softmax layers: W ~ U(−r, r) with
 *       r = sqrt(6 / (n_in + n_out)) (Glorot and Bengio 2010).
 *   <li>He normal for relu and leaky_relu: W ~ N(0, 2 / n_in) (He et al. 2015).
 * </ul>
 * Layer l draws from the stream (seed, INIT, l), so a layer's weights do not depend on the others.
 */
public final class Initializer {
  private Initializer() {}

  public static void initialize(Parameters p, long seed) {
    ModelSpec spec = p.spec();
    for (int l = 0; l < spec.depth(); l++) {
      LayerSpec ls = spec.layer(l);
      SplittableRandom rng = Seeds.stream(seed, Seeds.INIT, l);
      FloatBuffer w = p.weights(l);
      int n = ls.out() * ls.in();
      if (ls.activation().reluFamily()) {
        double std = Math.sqrt(2.0 / ls.in());
        for (int i = 0; i < n; i++) w.put(i, (float) (gaussian(rng) * std));
      } else {
        double r = Math.sqrt(6.0 / (ls.in() + ls.out()));
        for (int i = 0; i < n; i++) w.put(i, (float) ((rng.nextDouble() * 2 - 1) * r));
      }
      FloatBuffer b = p.bias(l);
      for (int i = 0; i < ls.out(); i++) b.put(i, 0f);
    }
  }

  /** Box-Muller on the given stream: fully determined by the stream, unlike Random's cached pair. */
  static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // (0, 1]
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
