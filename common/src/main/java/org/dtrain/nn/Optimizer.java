package org.dtrain.nn;

import java.nio.FloatBuffer;
import org.dtrain.math.Buffers;
import org.dtrain.math.Scratch;

/**
 * Applies a mean gradient to the parameters; one flat loop over all of them (the layout is shared).
 * Only the coordinator runs it, so its state lives in one place.
 *
 * <ul>
 *   <li>sgd: W := W − α g (the lecture rule).
 *   <li>momentum: v := μ v + g, W := W − α v (the form of Sutskever et al. 2013 as in PyTorch).
 *   <li>adam: m := β1 m + (1−β1) g, v := β2 v + (1−β2) g², W := W − α m̂ / (sqrt(v̂) + ε) with
 *       m̂ = m / (1−β1^t), v̂ = v / (1−β2^t) (Kingma and Ba 2015, Algorithm 1).
 * </ul>
 * With weight decay λ the gradient of each weight matrix entry becomes g + λ W (L2 regularisation).
 * Order of use: construct once per job, then {@link #step} once per update.
 *
 * <p>Every {@value #SUBNORMAL_FLUSH_EVERY} updates, state that underflowed into the subnormal range
 * becomes zero. A weight whose gradient is always 0 (a dead ReLU unit, an input pixel that is 0 in
 * every image) has a velocity that decays by μ each step into the subnormals, where round-to-nearest
 * keeps it at 1–4 × {@link Float#MIN_VALUE} forever, and every update then pays a microcode assist
 * per such value (the JVM computes with subnormals). On the default MNIST job that made the
 * momentum update 3–5 times as slow after a few hundred steps, Adam's too (docs/PERFORMANCE.md).
 * The flush is a scalar pass (C2 does not vectorise the test), hence not every step; a value decays
 * through the subnormals once, so it pays for at most that many updates. Values below 1.2e-38
 * change no weight; bits change only where a value was subnormal, and the rule depends on the step
 * count alone.
 */
public final class Optimizer {
  private final OptimizerConfig config;
  private final ModelSpec spec;
  private final FloatBuffer m; // momentum velocity, or Adam's first moment; null for sgd
  private final FloatBuffer v; // Adam's second moment; null otherwise
  private long t;              // updates applied so far

  public Optimizer(OptimizerConfig config, ModelSpec spec) {
    this.config = config;
    this.spec = spec;
    int n = spec.parameterCount();
    m = config.kind() == OptimizerConfig.Kind.SGD ? null : Buffers.allocate(n);
    v = config.kind() == OptimizerConfig.Kind.ADAM ? Buffers.allocate(n) : null;
  }

  public OptimizerConfig config() {
    return config;
  }

  /** Updates applied so far (Adam's t). */
  public long updates() {
    return t;
  }

  /** Optimizer state for checkpoints: [m..., v...] as present (empty for sgd). */
  public FloatBuffer firstMoment() {
    return m;
  }

  public FloatBuffer secondMoment() {
    return v;
  }

  /** Restores the update count (with the moments written into {@link #firstMoment()} etc.). */
  public void restoreUpdates(long updates) {
    this.t = updates;
  }

  /**
   * One update with learning rate {@code lr}.
   *
   * @param grad the mean gradient (already divided by the sample count), same layout as p
   */
  public void step(Parameters p, Parameters grad, float lr) {
    step(p, grad, 1f, lr, null);
  }

  /**
   * One update from a gradient <em>sum</em>: each value is divided by {@code count} as it is used
   * (a true division, so the bits are those of dividing the sum first and then stepping), in the same
   * pass as the update; {@code gradSum} is left as it is. With {@code snapshot} not null the new
   * weights are also written into it (the copy that goes to the workers), in the same pass too.
   *
   * @param count the sample count the sum is over; 1 for a gradient that is a mean already
   * @param snapshot null, or an array of at least p.count() floats
   */
  public void step(Parameters p, Parameters gradSum, float count, float lr, float[] snapshot) {
    step(p, gradSum, null, count, lr, snapshot);
  }

  /**
   * {@link #step(Parameters, Parameters, float, float, float[])} from a gradient sum still in two
   * halves: the sum is {@code left + right}, added element by element in that order in the same pass
   * (the same bits as adding them first: the reduction tree's last addition, saved a pass over
   * memory). With {@code right} null, left is the whole sum.
   */
  public void step(Parameters p, Parameters left, Parameters right, float count, float lr,
      float[] snapshot) {
    t++;
    if (t % SUBNORMAL_FLUSH_EVERY == 0) {
      if (m != null) flushSubnormals(m, spec.parameterCount());
      if (v != null) flushSubnormals(v, spec.parameterCount());
    }
    float wd = config.weightDecay();
    FloatBuffer g = left.values();
    FloatBuffer g2 = right == null ? null : right.values();
    for (int l = 0; l < spec.depth(); l++) {
      LayerSpec ls = spec.layer(l);
      int wStart = p.offset(l);
      int wEnd = wStart + ls.out() * ls.in();
      update(p.values(), g, g2, wStart, wEnd, wd, lr, count, snapshot);
      update(p.values(), g, g2, wEnd, wEnd + ls.out(), 0f, lr, count, snapshot);
    }
  }

  /**
   * Updates parameters [from, to): each chunk of w, g (g + g2 when g2 is not null) and the state
   * goes into heap arrays (see Scratch), one kind's kernel runs on them, vectorised, and they go back.
   */
  private void update(FloatBuffer w, FloatBuffer g, FloatBuffer g2, int from, int to, float wd,
      float lr, float d, float[] snapshot) {
    float[][] s = Scratch.arrays();
    float[] ws = s[0];
    float[] gs = s[1];
    float[] ms = s[2];
    float[] vs = s[3];
    float[] hs = s[4];
    for (int o = from; o < to; o += Scratch.CHUNK) {
      int len = Math.min(Scratch.CHUNK, to - o);
      w.get(o, ws, 0, len);
      g.get(o, gs, 0, len);
      if (g2 != null) {
        g2.get(o, hs, 0, len);
        for (int i = 0; i < len; i++) gs[i] += hs[i]; // as Parameters.add: left + right
      }
      if (m != null) m.get(o, ms, 0, len);
      if (v != null) v.get(o, vs, 0, len);
      switch (config.kind()) {
        case SGD -> sgd(ws, gs, len, wd, lr, d);
        case MOMENTUM -> momentum(ws, gs, ms, len, wd, lr, d, config.momentum());
        case ADAM -> adam(ws, gs, ms, vs, len, wd, lr, d);
      }
      if (m != null) m.put(o, ms, 0, len);
      if (v != null) v.put(o, vs, 0, len);
      w.put(o, ws, 0, len);
      if (snapshot != null) System.arraycopy(ws, 0, snapshot, o, len);
    }
  }

  // g / d below: a true division, as Parameters.divide makes it (g * (1 / d) differs in bits)

  private static void sgd(float[] w, float[] g, int len, float wd, float lr, float d) {
    for (int i = 0; i < len; i++) {
      float wi = w[i];
      w[i] = wi - lr * (g[i] / d + wd * wi);
    }
  }

  private static void momentum(float[] w, float[] g, float[] m, int len, float wd, float lr, float d,
      float mu) {
    for (int i = 0; i < len; i++) {
      float wi = w[i];
      float vi = mu * m[i] + (g[i] / d + wd * wi);
      m[i] = vi;
      w[i] = wi - lr * vi;
    }
  }

  /**
   * (float) Math.sqrt(float) is a float square root to C2 (the double root rounded back to float is
   * the correctly rounded float root), which it vectorises like the rest.
   */
  private void adam(float[] w, float[] g, float[] m, float[] v, int len, float wd, float lr,
      float d) {
    float b1 = config.beta1();
    float b2 = config.beta2();
    float eps = config.epsilon();
    float c1 = (float) (1.0 - Math.pow(b1, t)); // bias corrections
    float c2 = (float) (1.0 - Math.pow(b2, t));
    for (int i = 0; i < len; i++) {
      float wi = w[i];
      float gi = g[i] / d + wd * wi;
      float mi = b1 * m[i] + (1f - b1) * gi;
      float vi = b2 * v[i] + (1f - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = wi - lr * (mi / c1) / ((float) Math.sqrt(vi / c2) + eps);
    }
  }

  /** Every this many updates the optimizer state is cleared of subnormal values (see the class). */
  static final int SUBNORMAL_FLUSH_EVERY = 16;

  /** Sets the subnormal values among the first n of b to zero, chunk by chunk. */
  static void flushSubnormals(FloatBuffer b, int n) {
    float[] s = Scratch.arrays()[0];
    for (int o = 0; o < n; o += Scratch.CHUNK) {
      int len = Math.min(Scratch.CHUNK, n - o);
      b.get(o, s, 0, len);
      for (int i = 0; i < len; i++) s[i] = flushSubnormal(s[i]);
      b.put(o, s, 0, len);
    }
  }

  /** 0 for a subnormal x; x itself otherwise (zeros keep their sign). */
  static float flushSubnormal(float x) {
    return x != 0f && Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
  }
}
