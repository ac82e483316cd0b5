package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.dtrain.math.Buffers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer against its textbook update written out in double:
 * sgd W −= α (g + λW); momentum v := μv + (g + λW), W −= αv; Adam per Kingma and Ba (2015),
 * Algorithm 1, with the L2 term λW added to the gradient of weights (never biases).
 */
class OptimizerTest {
  /** 2 -> 3 -> 2: W0 (3x2), b0 (3), W1 (2x3), b1 (2) = 17 parameters. */
  private static final ModelSpec SPEC = ModelSpec.of(new int[] {2, 3, 2}, Activation.parse("tanh"),
      Activation.parse("identity"), Loss.MSE);
  private static final float LR = 0.1f;
  /**
   * |fp32 − double| ≤ 1e-6 · max(|expected|, 0.1). Parameters start at 0.1 ≤ |w| ≤ 0.5 and move by
   * ~α = 0.1 per step, so 0.1 is their scale; fp32 rounding of w and of each update is ~6e-8 of that
   * scale per step, and a few steps stay well under 1e-6 of it, while a wrong formula (a missing bias
   * correction, a μ in the wrong place) is off by percent.
   */
  private static final double MAX_REL = 1e-6;
  private static final double SCALE_FLOOR = 0.1;

  /** true at the indices of weight matrices in the documented flat layout (W_l then b_l). */
  private static boolean[] weightMask(ModelSpec spec) {
    boolean[] mask = new boolean[spec.parameterCount()];
    int o = 0;
    for (LayerSpec l : spec.layers()) {
      for (int i = 0; i < l.out() * l.in(); i++) mask[o++] = true;
      o += l.out();
    }
    return mask;
  }

  private static float[] randomParams(SplittableRandom rng, int n) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) ((rng.nextBoolean() ? 1 : -1) * (0.1 + 0.4 * rng.nextDouble()));
    }
    return w;
  }

  private static float[] randomGrad(SplittableRandom rng, int n) {
    float[] g = new float[n];
    for (int i = 0; i < n; i++) g[i] = (float) (rng.nextDouble() * 2 - 1);
    return g;
  }

  private static Parameters params(float[] values) {
    Parameters p = Parameters.zeros(SPEC);
    p.values().put(0, values);
    return p;
  }

  @ParameterizedTest(name = "{0}, weight decay {1}, {2} steps")
  @CsvSource({"sgd,0,1", "sgd,0,4", "sgd,0.05,4", "momentum,0,1", "momentum,0,5", "momentum,0.05,5",
      "adam,0,1", "adam,0,6", "adam,0.05,6"})
  void stepsEqualTheTextbookUpdateInDouble(String kind, float wd, int steps) {
    OptimizerConfig cfg = OptimizerConfig.of(OptimizerConfig.parseKind(kind)).withWeightDecay(wd);
    int n = SPEC.parameterCount();
    boolean[] isWeight = weightMask(SPEC);
    SplittableRandom rng = new SplittableRandom(kind.hashCode() + steps);
    float[] start = randomParams(rng, n);
    Parameters p = params(start);
    Optimizer opt = new Optimizer(cfg, SPEC);

    // Hyper-parameters as the optimizer holds them (fp32), widened exactly to double.
    double mu = cfg.momentum();
    double b1 = cfg.beta1();
    double b2 = cfg.beta2();
    double eps = cfg.epsilon();
    double[] w = NnFixtures.toDouble(start);
    double[] m = new double[n];
    double[] v = new double[n];
    for (int t = 1; t <= steps; t++) {
      float[] g = randomGrad(rng, n);
      opt.step(p, params(g), LR);
      for (int i = 0; i < n; i++) {
        double gi = g[i] + (isWeight[i] ? wd * w[i] : 0);
        switch (cfg.kind()) {
          case SGD -> w[i] -= LR * gi;
          case MOMENTUM -> {
            m[i] = mu * m[i] + gi;
            w[i] -= LR * m[i];
          }
          case ADAM -> {
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            double mHat = m[i] / (1 - Math.pow(b1, t));
            double vHat = v[i] / (1 - Math.pow(b2, t));
            w[i] -= LR * mHat / (Math.sqrt(vHat) + eps);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        double got = p.values().get(i);
        double rel = Math.abs(got - w[i]) / Math.max(Math.abs(w[i]), SCALE_FLOOR);
        assertTrue(rel < MAX_REL, kind + " step " + t + " parameter " + i + ": expected " + w[i]
            + " found " + got + " rel " + rel);
      }
    }
    assertEquals(steps, opt.updates());
  }

  @ParameterizedTest
  @CsvSource({"sgd", "momentum", "adam"})
  void weightDecayShrinksWeightsButLeavesBiasesAlone(String kind) {
    float wd = 0.5f;
    OptimizerConfig cfg = OptimizerConfig.of(OptimizerConfig.parseKind(kind)).withWeightDecay(wd);
    int n = SPEC.parameterCount();
    boolean[] isWeight = weightMask(SPEC);
    float[] start = randomParams(new SplittableRandom(9), n);
    Parameters p = params(start);
    new Optimizer(cfg, SPEC).step(p, Parameters.zeros(SPEC), LR); // zero gradient: only decay acts
    for (int i = 0; i < n; i++) {
      float got = p.values().get(i);
      if (isWeight[i]) {
        // sgd and momentum (v = λW on the first step): W (1 − αλ). Adam: m̂/√v̂ = sign(λW), so
        // W − α sign(W) (ε = 1e-8 is negligible against |λW| ≥ 0.05).
        double expected = kind.equals("adam") ? start[i] - LR * Math.signum(start[i])
            : start[i] * (1 - LR * wd);
        assertEquals(expected, got, 1e-6 * Math.max(Math.abs(expected), SCALE_FLOOR), "weight " + i);
        assertNotEquals(start[i], got, "weight " + i + " decayed");
      } else {
        assertEquals(start[i], got, 0f, "bias " + i + " must not be decayed");
      }
    }
  }

  @ParameterizedTest(name = "{0}, weight decay {1}")
  @CsvSource({"sgd,0", "sgd,0.05", "momentum,0", "momentum,0.05", "adam,0", "adam,0.05"})
  void stepFromTheSumIsBitForBitDivideThenStepAndCopiesTheWeightsOut(String kind, float wd) {
    // the training loop's fused step: the same bits as dividing the sum in place, then stepping
    OptimizerConfig cfg = OptimizerConfig.of(OptimizerConfig.parseKind(kind)).withWeightDecay(wd);
    int n = SPEC.parameterCount();
    SplittableRandom rng = new SplittableRandom(kind.hashCode() + 31);
    float[] start = randomParams(rng, n);
    Parameters twoPass = params(start);
    Parameters fused = params(start);
    Optimizer a = new Optimizer(cfg, SPEC);
    Optimizer b = new Optimizer(cfg, SPEC);
    float count = 37f; // not a power of two: the division rounds
    for (int step = 0; step < 4; step++) {
      float[] sum = randomGrad(rng, n);
      for (int i = 0; i < n; i++) sum[i] *= 50f;
      Parameters g = params(sum);
      g.divide(count);
      a.step(twoPass, g, LR);
      Parameters gSum = params(sum);
      float[] snapshot = new float[n];
      b.step(fused, gSum, count, LR, snapshot);
      assertSameStep(twoPass, fused, snapshot, kind + " step " + step);
      for (int i = 0; i < n; i++) {
        assertEquals(sum[i], gSum.values().get(i), "the sum is left as it is");
      }
    }
  }

  @ParameterizedTest(name = "{0}, weight decay {1}")
  @CsvSource({"sgd,0", "momentum,0.05", "adam,0", "adam,0.05"})
  void stepFromTwoHalvesIsBitForBitAddingThemFirst(String kind, float wd) {
    // the coordinator's step: the reduction tree's last addition made in the optimizer's pass
    OptimizerConfig cfg = OptimizerConfig.of(OptimizerConfig.parseKind(kind)).withWeightDecay(wd);
    int n = SPEC.parameterCount();
    SplittableRandom rng = new SplittableRandom(kind.hashCode() + 7);
    float[] start = randomParams(rng, n);
    Parameters added = params(start);
    Parameters fused = params(start);
    Optimizer a = new Optimizer(cfg, SPEC);
    Optimizer b = new Optimizer(cfg, SPEC);
    float count = 37f;
    for (int step = 0; step < 4; step++) {
      float[] left = randomGrad(rng, n);
      float[] right = randomGrad(rng, n);
      for (int i = 0; i < n; i++) {
        left[i] *= 30f;
        right[i] *= 1e-3f * (i + 1); // magnitudes apart, so that the addition rounds
      }
      Parameters sum = params(left);
      sum.add(params(right));
      a.step(added, sum, count, LR, null);
      Parameters l = params(left);
      Parameters r = params(right);
      float[] snapshot = new float[n];
      b.step(fused, l, r, count, LR, snapshot);
      assertSameStep(added, fused, snapshot, kind + " step " + step);
      for (int i = 0; i < n; i++) {
        assertEquals(left[i], l.values().get(i), "the left half is left as it is");
        assertEquals(right[i], r.values().get(i), "the right half is left as it is");
      }
    }
  }

  /** The fused step's weights have the reference's bits, and the snapshot holds them. */
  private static void assertSameStep(Parameters expected, Parameters fused, float[] snapshot,
      String what) {
    for (int i = 0; i < expected.count(); i++) {
      assertEquals(Float.floatToRawIntBits(expected.values().get(i)),
          Float.floatToRawIntBits(fused.values().get(i)), what + " value " + i);
      assertEquals(Float.floatToRawIntBits(fused.values().get(i)),
          Float.floatToRawIntBits(snapshot[i]), "the snapshot holds the new weights");
    }
  }

  @Test
  void keepsOnlyTheStateItsKindNeeds() {
    Optimizer sgd = new Optimizer(OptimizerConfig.of(OptimizerConfig.Kind.SGD), SPEC);
    assertNull(sgd.firstMoment());
    assertNull(sgd.secondMoment());
    Optimizer mom = new Optimizer(OptimizerConfig.of(OptimizerConfig.Kind.MOMENTUM), SPEC);
    assertEquals(SPEC.parameterCount(), mom.firstMoment().capacity());
    assertNull(mom.secondMoment());
    Optimizer adam = new Optimizer(OptimizerConfig.of(OptimizerConfig.Kind.ADAM), SPEC);
    assertEquals(SPEC.parameterCount(), adam.firstMoment().capacity());
    assertEquals(SPEC.parameterCount(), adam.secondMoment().capacity());
  }

  @Test
  void configRejectsBadValuesAndNamesAllowedKinds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptimizerConfig.parseKind("rmsprop"));
    assertTrue(e.getMessage().contains("sgd, momentum, adam"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> OptimizerConfig.of(OptimizerConfig.Kind.MOMENTUM).withMomentum(1f));
    assertThrows(IllegalArgumentException.class,
        () -> OptimizerConfig.of(OptimizerConfig.Kind.SGD).withWeightDecay(-1f));
    assertThrows(IllegalArgumentException.class,
        () -> OptimizerConfig.of(OptimizerConfig.Kind.SGD).withWeightDecay(Float.NaN));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"momentum", "adam"})
  void subnormalStateBecomesZeroAtTheFlushAndTheRestStepsAsBefore(String kind) {
    OptimizerConfig cfg = OptimizerConfig.of(OptimizerConfig.Kind.valueOf(kind.toUpperCase()));
    int n = SPEC.parameterCount();
    float[] w = randomParams(new SplittableRandom(3), n);
    float[] g = randomGrad(new SplittableRandom(4), n);
    g[5] = 0f; // a weight that gets no gradient: its state decays
    Optimizer o = new Optimizer(cfg, SPEC);
    o.firstMoment().put(5, 3 * Float.MIN_VALUE); // stuck: 0.9 * 3 MIN_VALUE rounds to 3 MIN_VALUE
    if (o.secondMoment() != null) o.secondMoment().put(5, 3 * Float.MIN_VALUE);
    Optimizer plain = new Optimizer(cfg, SPEC); // its state at 5 stays 0
    Parameters p = params(w);
    Parameters q = params(w);
    for (int step = 1; step < Optimizer.SUBNORMAL_FLUSH_EVERY; step++) {
      o.step(p, params(g), LR);
      plain.step(q, params(g), LR);
    }
    assertTrue(o.firstMoment().get(5) != 0f, "subnormal until the flush");
    o.step(p, params(g), LR);
    plain.step(q, params(g), LR);
    assertEquals(0, Float.floatToRawIntBits(o.firstMoment().get(5)), "first moment flushed to +0");
    if (o.secondMoment() != null) {
      assertEquals(0, Float.floatToRawIntBits(o.secondMoment().get(5)), "second moment flushed");
    }
    for (int i = 0; i < n; i++) {
      assertEquals(Float.floatToRawIntBits(q.values().get(i)), Float.floatToRawIntBits(p.values().get(i)),
          "parameter " + i + ": a subnormal state moves no weight");
      assertEquals(Float.floatToRawIntBits(plain.firstMoment().get(i)),
          Float.floatToRawIntBits(o.firstMoment().get(i)), "first moment " + i);
    }
  }

  @Test
  void flushSubnormalsZeroesExactlyTheSubnormalsAtAnyPosition() {
    float[] keep = {0f, -0f, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1f, -3e-30f, Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (int len : new int[] {1, 7, 1024, 1025, 3000}) {
      for (int at : new int[] {0, len / 2, len - 1}) {
        float[] s = new float[len];
        for (int i = 0; i < len; i++) s[i] = keep[i % keep.length];
        s[at] = at % 2 == 0 ? Float.MIN_VALUE * (at % 100 + 1) : -Float.MIN_NORMAL / 2;
        FloatBuffer b = Buffers.of(s);
        Optimizer.flushSubnormals(b, len);
        assertEquals(0, Float.floatToRawIntBits(b.get(at)), len + " values, subnormal at " + at);
        for (int i = 0; i < len; i++) {
          if (i == at) continue;
          assertEquals(Float.floatToRawIntBits(keep[i % keep.length]), Float.floatToRawIntBits(b.get(i)),
              len + " values, " + i + " kept");
        }
      }
    }
  }
}
