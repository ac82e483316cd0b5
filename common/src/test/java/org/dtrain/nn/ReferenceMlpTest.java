package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oracle is only as good as its own gradient: check {@link ReferenceMlp} against central finite
 * differences of its own loss, in double, for every parameter. Uses no main code at all.
 */
class ReferenceMlpTest {
  private static final int[] SIZES = {4, 5, 4, 3};
  private static final int ROWS = 5;
  /** Central-difference step: truncation error ~h²|L'''|/6 ≈ 1e-11, round-off ~ε|L|/h ≈ 1e-10. */
  private static final double H = 1e-5;
  /**
   * Relative errors are taken against max(|analytic|, |numeric|, FLOOR): the finite difference itself
   * carries an absolute error of ~1e-10 (round-off above), so a component smaller than 1e-4 cannot be
   * resolved to 1e-6 relative by any correct implementation; with FLOOR = 1e-4 the allowed absolute
   * error for tiny components is 1e-10, still far below any real bug.
   */
  private static final double FLOOR = 1e-4;
  private static final double MAX_REL = 1e-6;

  static Stream<Arguments> grid() {
    return NnFixtures.grid().stream();
  }

  @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
  @MethodSource("grid")
  void referenceGradientMatchesCentralFiniteDifferences(String hidden, String output, String loss) {
    ReferenceMlp ref = new ReferenceMlp(SIZES, hidden, output, loss);
    int k = SIZES[SIZES.length - 1];
    double[] theta = new double[ref.parameterCount()];
    double[][] x;
    double[][] y;
    ReferenceMlp.Result res;
    // Draw seeded data until no relu/leaky_relu pre-activation and no mae residual lies within 1e-3
    // of its kink: a step of H in one weight moves any z by at most H·max|a| < 1e-4, so both sides of
    // every central difference then lie on the same smooth piece. Deterministic: the seeds are fixed.
    long seed = 1000L * (hidden.hashCode() * 31L + output.hashCode() * 7L + loss.hashCode());
    do {
      SplittableRandom rng = new SplittableRandom(seed++);
      int o = 0;
      for (int l = 0; l < SIZES.length - 1; l++) {
        double r = 1.5 * Math.sqrt(3.0 / SIZES[l]);
        for (int i = 0; i < SIZES[l + 1] * SIZES[l]; i++) theta[o++] = (rng.nextDouble() * 2 - 1) * r;
        for (int i = 0; i < SIZES[l + 1]; i++) theta[o++] = (rng.nextDouble() * 2 - 1) * 0.3;
      }
      ref.setFlat(theta);
      x = NnFixtures.rows(NnFixtures.inputs(rng, ROWS, SIZES[0]), ROWS, SIZES[0]);
      y = NnFixtures.rows(NnFixtures.targets(rng, ROWS, k, output, loss), ROWS, k);
      res = ref.run(x, y);
    } while (!(res.kinkDistance > 1e-3));
    double[] analytic = ref.flatGradient(res);

    double worst = 0;
    int worstAt = -1;
    for (int i = 0; i < theta.length; i++) {
      double saved = theta[i];
      theta[i] = saved + H;
      ref.setFlat(theta);
      double plus = ref.lossSum(x, y);
      theta[i] = saved - H;
      ref.setFlat(theta);
      double minus = ref.lossSum(x, y);
      theta[i] = saved;
      double numeric = (plus - minus) / (2 * H);
      double rel = Math.abs(analytic[i] - numeric)
          / Math.max(Math.max(Math.abs(analytic[i]), Math.abs(numeric)), FLOOR);
      if (rel > worst) {
        worst = rel;
        worstAt = i;
      }
    }
    ref.setFlat(theta);
    assertTrue(worst < MAX_REL, "max rel err " + worst + " at parameter " + worstAt);
  }

  @Test
  void hasHandComputedLossAndGradientOnOneLinearUnit() {
    // 1 -> 1 identity, mse: ŷ = 2·3 + 1 = 7, y = 4: L = ½·9 = 4.5, dL/dw = (ŷ−y)·x = 9, dL/db = 3.
    ReferenceMlp ref = new ReferenceMlp(new int[] {1, 1}, "identity", "identity", "mse");
    ref.setFlat(new double[] {2, 1});
    ReferenceMlp.Result r = ref.run(new double[][] {{3}}, new double[][] {{4}});
    assertEquals(4.5, r.lossSum, 0);
    assertEquals(9, r.dW[0][0][0], 0);
    assertEquals(3, r.db[0][0], 0);
    assertEquals(0, r.correct, "|7 − 4| ≥ 0.5 is not a correct regression row");
  }

  @Test
  void sumsLossesAndGradientsOverRows() {
    // Two identical rows give exactly twice the loss and gradient of one.
    ReferenceMlp ref = new ReferenceMlp(new int[] {2, 3, 2}, "tanh", "softmax", "cross_entropy");
    ref.setFlat(new SplittableRandom(7).doubles(ref.parameterCount(), -1, 1).toArray());
    double[][] x1 = {{0.3, -0.8}};
    double[][] y1 = {{0, 1}};
    ReferenceMlp.Result one = ref.run(x1, y1);
    ReferenceMlp.Result two = ref.run(new double[][] {x1[0], x1[0]}, new double[][] {y1[0], y1[0]});
    assertEquals(2 * one.lossSum, two.lossSum, 1e-15);
    double[] g1 = ref.flatGradient(one);
    double[] g2 = ref.flatGradient(two);
    for (int i = 0; i < g1.length; i++) assertEquals(2 * g1[i], g2[i], 1e-15);
  }
}
