package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dtrain.math.Blas;
import org.dtrain.math.JavaBlas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fp32 {@link Network#gradientSum} against the double-precision {@link ReferenceMlp} (which does
 * not fuse the output layer with the loss, so the fused ŷ − y of the main code is checked by the
 * chain rule), plus the properties the cluster relies on: shard sums add up, and the same inputs
 * give the same bits.
 */
class BackpropTest {
  /** Two hidden layers (6 and 4 units) and 3 outputs; 5 inputs. */
  private static final int[] SIZES = {5, 6, 4, 3};
  private static final int ROWS = 7;

  /**
   * Max relative difference fp32 vs double. Each fp32 gradient entry is a sum of ≤ 7 products per
   * layer, pushed back through ≤ 3 layers: its error is a few hundred ulps (2^-24 ≈ 6e-8) of the
   * magnitudes involved at most (measured: ≤ 7.3e-5 over the whole grid, on both BLAS paths); 1e-3
   * leaves margin yet catches any missing factor, wrong derivative or transposed index (those give
   * O(1) errors; a 1% error in tanh' fails 32 of these cases).
   */
  private static final double MAX_REL = 1e-3;
  /**
   * The denominator is max(|fp32|, |double|, FLOOR_FRACTION · max|g| over that layer's W and b).
   * Rounding errors scale with the magnitude of the terms summed, which is the layer's gradient
   * scale, not the (possibly nearly cancelled) entry itself; an entry 1000× smaller than its layer's
   * largest is judged by absolute error against that scale. Per layer, because gradient scales differ
   * between layers by orders of magnitude (sigmoid chains shrink them).
   */
  private static final double FLOOR_FRACTION = 1e-3;
  /** fp32 pre-activations carry errors ~1e-6; data with a relu unit or mae residual within 1e-4 of
   * its kink is redrawn, so fp32 and double take the same branch. */
  private static final double MIN_KINK = 1e-4;
  /** Loss sums: fp32 activations are accurate to ~1e-6 relative, the sum is taken in double. */
  private static final double LOSS_REL = 1e-5;

  static Stream<Arguments> gridOnBothBlas() {
    List<Arguments> out = new ArrayList<>();
    for (String blas : new String[] {"openblas", "java"}) {
      for (Arguments a : NnFixtures.grid()) {
        Object[] g = a.get();
        out.add(Arguments.of(blas, g[0], g[1], g[2]));
      }
    }
    return out.stream();
  }

  static Stream<Arguments> grid() {
    return NnFixtures.grid().stream();
  }

  private static Blas blas(String name) {
    return name.equals("java") ? new JavaBlas() : Blas.get();
  }

  private static long seed(String hidden, String output, String loss) {
    return 100_000L * (hidden.hashCode() * 31L + output.hashCode() * 17L + loss.hashCode());
  }

  @ParameterizedTest(name = "{0}: {1} hidden, {2} output, {3}")
  @MethodSource("gridOnBothBlas")
  void gradientSumLossAndCorrectCountMatchTheDoubleReference(String blasName, String hidden,
      String output, String loss) {
    NnFixtures.Case c = NnFixtures.makeCase(SIZES, hidden, output, loss, ROWS,
        seed(hidden, output, loss), MIN_KINK);
    Network net = new Network(c.spec(), blas(blasName));
    Workspace ws = new Workspace(c.spec(), ROWS);
    ws.load(c.x(), c.y(), 0, ROWS);
    Parameters grad = Parameters.zeros(c.spec());
    BatchStats stats = net.gradientSum(c.p(), ws, ROWS, grad);
    assertMatchesReference(c, ROWS, stats, grad, "fp32 gradient vs double reference");
  }

  /** Stats and gradient of {@code rows} rows against the case's double-precision reference. */
  private static void assertMatchesReference(NnFixtures.Case c, int rows, BatchStats stats,
      Parameters grad, String what) {
    assertEquals(rows, stats.samples());
    assertEquals(c.expected().lossSum, stats.lossSum(), LOSS_REL * Math.abs(c.expected().lossSum),
        "loss sum");
    assertEquals(c.expected().correct, stats.correct(), "correct count");
    assertLayersClose(c.spec(), c.ref().flatGradient(c.expected()), grad.toArray(), MAX_REL, what);
  }

  /**
   * A batch of three passes ({@link Workspace#PASS_ROWS} rows each, the last one short): the passes'
   * sums together are the batch's, as the double reference computes it over all rows at once. The
   * workspace is sized for a batch of more rows, and its stale first batch must not leak in.
   */
  @ParameterizedTest(name = "{0}: {1} hidden, {2} output, {3}")
  @MethodSource("gridOnBothBlas")
  void aBatchOfSeveralPassesMatchesTheDoubleReference(String blasName, String hidden, String output,
      String loss) {
    int rows = 2 * Workspace.PASS_ROWS + 37;
    NnFixtures.Case c = NnFixtures.makeCase(SIZES, hidden, output, loss, rows,
        seed(hidden, output, loss) + 3, MIN_KINK);
    Network net = new Network(c.spec(), blas(blasName));
    Workspace ws = new Workspace(c.spec(), rows + 100);
    ws.load(c.x(), c.y(), 0, rows);
    Parameters grad = Parameters.zeros(c.spec());
    net.gradientSum(c.p(), ws, rows - 1, grad); // a first batch, one row short
    BatchStats stats = net.gradientSum(c.p(), ws, rows, grad);
    assertMatchesReference(c, rows, stats, grad, "fp32 gradient over passes vs double reference");
  }

  @Test
  void aBatchOfNoRowsGivesAZeroGradientAndNoStats() {
    NnFixtures.Case c = NnFixtures.makeCase(SIZES, "relu", "softmax", "cross_entropy", ROWS, 11, 0);
    Network net = new Network(c.spec());
    Workspace ws = new Workspace(c.spec(), ROWS);
    ws.load(c.x(), c.y(), 0, 0);
    Parameters grad = Parameters.zeros(c.spec());
    for (int i = 0; i < grad.count(); i++) grad.values().put(i, Float.NaN); // stale
    assertEquals(BatchStats.EMPTY, net.gradientSum(c.p(), ws, 0, grad));
    assertArrayEquals(new float[grad.count()], grad.toArray());
  }

  /** Compares two gradients in the flat layout, layer by layer, with the floor described above. */
  static void assertLayersClose(ModelSpec spec, double[] expected, float[] actual, double maxRel,
      String what) {
    assertEquals(expected.length, actual.length);
    int o = 0;
    for (int l = 0; l < spec.depth(); l++) {
      int n = spec.layer(l).parameterCount();
      double scale = 0;
      for (int i = o; i < o + n; i++) scale = Math.max(scale, Math.abs(expected[i]));
      double floor = FLOOR_FRACTION * scale;
      for (int i = o; i < o + n; i++) {
        assertTrue(Float.isFinite(actual[i]), what + ": layer " + l + " entry " + (i - o) + " is "
            + actual[i]);
        double diff = Math.abs(expected[i] - actual[i]);
        double rel = diff == 0 ? 0
            : diff / Math.max(Math.max(Math.abs(expected[i]), Math.abs(actual[i])), floor);
        String where = what + ": layer " + l + " parameter " + (i - o) + " expected " + expected[i]
            + " found " + actual[i] + " rel " + rel;
        assertTrue(rel < maxRel, where);
      }
      o += n;
    }
  }

  @Test
  void gradientSumOverwritesAStaleGradientBufferEvenWhenItHoldsNaN() {
    NnFixtures.Case c = NnFixtures.makeCase(SIZES, "tanh", "softmax", "cross_entropy", ROWS, 5,
        MIN_KINK);
    Network net = new Network(c.spec());
    Workspace ws = new Workspace(c.spec(), ROWS);
    ws.load(c.x(), c.y(), 0, ROWS);
    Parameters clean = Parameters.zeros(c.spec());
    net.gradientSum(c.p(), ws, ROWS, clean);
    Parameters stale = Parameters.zeros(c.spec());
    for (int i = 0; i < stale.count(); i++) stale.values().put(i, Float.NaN);
    net.gradientSum(c.p(), ws, ROWS, stale);
    assertArrayEquals(clean.toArray(), stale.toArray(), "grad must be overwritten (beta = 0)");
  }

  @Test
  void binaryCrossEntropyWithHugeLogitsGivesFiniteLossAndGradient() {
    // 2 inputs -> 1 identity hidden unit (a = x_0 = ±1) -> 2 sigmoid outputs with weights ±1e4,
    // so the logits are exactly ±1e4: sigmoid saturates to 0 or 1 in fp32 and a naive
    // −[y log ŷ + (1−y) log(1−ŷ)] gives −0·log 0 = NaN or log 0 = −Inf.
    ModelSpec spec = NnFixtures.spec(new int[] {2, 1, 2}, "identity", "sigmoid", "binary_cross_entropy");
    Parameters p = Parameters.zeros(spec);
    p.weights(0).put(0, 1f);
    p.weights(1).put(0, 1e4f);
    p.weights(1).put(1, -1e4f);
    float[] x = {1, 0.5f, -1, 0.5f, 1, -0.25f, -1, 0};
    float[] y = {1, 0, 1, 0, 0, 1, 0, 0}; // row 0 right on both; row 1 wrong on both; rows 2, 3 half
    // Exact loss: a confidently wrong output costs |z| = 1e4 (log(1 + e^−1e4) is 0 in double).
    double expected = 0 + 2e4 + 2e4 + 1e4;
    assertHugeLogitsFinite(spec, p, x, y, 4, expected);
  }

  @Test
  void crossEntropyWithHugeLogitsGivesFiniteLossAndGradient() {
    // Logits (1e4, −1e4, 0) or their negation: softmax is exactly one-hot in fp32 and a naive
    // −log ŷ_y is −log 0 = Inf for a wrong class.
    ModelSpec spec = NnFixtures.spec(new int[] {2, 1, 3}, "identity", "softmax", "cross_entropy");
    Parameters p = Parameters.zeros(spec);
    p.weights(0).put(0, 1f);
    p.weights(1).put(0, 1e4f);
    p.weights(1).put(1, -1e4f);
    float[] x = {1, 0.5f, -1, 0.5f, 1, -0.25f};
    float[] y = {1, 0, 0, 1, 0, 0, 0, 0, 1};
    // lse(z) − z_y = max(z) − z_y exactly here: row 0 class 0 is the max (0); row 1 has z = (−1e4,
    // 1e4, 0) and class 0 costs 2e4; row 2 has z = (1e4, −1e4, 0) and class 2 costs 1e4.
    double expected = 0 + 2e4 + 1e4;
    assertHugeLogitsFinite(spec, p, x, y, 3, expected);
  }

  private static void assertHugeLogitsFinite(ModelSpec spec, Parameters p, float[] x, float[] y,
      int rows, double expectedLoss) {
    for (Blas blas : new Blas[] {Blas.get(), new JavaBlas()}) {
      Network net = new Network(spec, blas);
      Workspace ws = new Workspace(spec, rows);
      ws.load(x, y, 0, rows);
      Parameters grad = Parameters.zeros(spec);
      BatchStats stats = net.gradientSum(p, ws, rows, grad);
      assertTrue(Double.isFinite(stats.lossSum()), "loss " + stats.lossSum());
      // Relative 1e-6: the only rounding is in adding a few values of size 1e4 in double.
      assertEquals(expectedLoss, stats.lossSum(), 1e-6 * expectedLoss, blas.name());
      assertTrue(grad.allFinite(), () -> "gradient has NaN/Inf: " + java.util.Arrays.toString(grad.toArray()));
      // dZ = ŷ − y is in {−1, 0, 1}, so dW of the output layer is the sum over wrong rows of ±a.
      boolean anyNonZero = false;
      for (float g : grad.toArray()) anyNonZero |= g != 0f;
      assertTrue(anyNonZero, "confidently wrong rows must still produce a gradient");
      BatchStats eval = net.evaluate(p, ws, rows);
      assertEquals(stats.lossSum(), eval.lossSum(), 0, "evaluate gives the same loss");
    }
  }

  @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
  @MethodSource("grid")
  void gradientOfABatchIsTheSumOfTheGradientsOfItsHalves(String hidden, String output, String loss) {
    int rows = 8;
    NnFixtures.Case c = NnFixtures.makeCase(SIZES, hidden, output, loss, rows,
        seed(hidden, output, loss) + 7, MIN_KINK);
    Network net = new Network(c.spec());
    Workspace ws = new Workspace(c.spec(), rows);
    ws.load(c.x(), c.y(), 0, rows);
    Parameters whole = Parameters.zeros(c.spec());
    BatchStats all = net.gradientSum(c.p(), ws, rows, whole);

    // The same workspace, reused for 4 of its 8 rows: stale rows 4..7 must not leak in.
    Parameters sum = Parameters.zeros(c.spec());
    Parameters part = Parameters.zeros(c.spec());
    ws.load(c.x(), c.y(), 0, 4);
    BatchStats first = net.gradientSum(c.p(), ws, 4, part);
    sum.add(part);
    ws.load(c.x(), c.y(), 4, 4);
    BatchStats second = net.gradientSum(c.p(), ws, 4, part);
    sum.add(part);

    BatchStats both = first.plus(second);
    assertEquals(all.samples(), both.samples());
    assertEquals(all.correct(), both.correct());
    // Per-row losses differ at most by the fp32 rounding of a differently blocked GEMM.
    assertEquals(all.lossSum(), both.lossSum(), 1e-6 * Math.abs(all.lossSum()));
    double[] expected = NnFixtures.toDouble(whole.toArray());
    // Only the summation order over rows (and the GEMM blocking) differs: a few fp32 roundings of
    // the terms summed, which near the floor can be ~1e-5 of it (measured max 1.2e-5 over the grid);
    // 1e-4 with the same per-layer floor bounds that while a missing or doubled shard is O(1).
    assertLayersClose(c.spec(), expected, sum.toArray(), 1e-4, "sum of halves vs whole batch");
  }

  @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
  @MethodSource("grid")
  void sameInputsGiveBitwiseIdenticalGradientsAcrossCallsAndWorkspaces(String hidden, String output,
      String loss) {
    NnFixtures.Case c = NnFixtures.makeCase(SIZES, hidden, output, loss, ROWS,
        seed(hidden, output, loss) + 13, 0);
    Network net = new Network(c.spec());
    Workspace ws1 = new Workspace(c.spec(), ROWS);
    Workspace ws2 = new Workspace(c.spec(), 3 * ROWS); // a different size, hence different buffers
    ws1.load(c.x(), c.y(), 0, ROWS);
    ws2.load(c.x(), c.y(), 0, ROWS);
    Parameters g1 = Parameters.zeros(c.spec());
    Parameters g2 = Parameters.zeros(c.spec());
    Parameters g3 = Parameters.zeros(c.spec());
    BatchStats s1 = net.gradientSum(c.p(), ws1, ROWS, g1);
    BatchStats s2 = net.gradientSum(c.p(), ws1, ROWS, g2);
    BatchStats s3 = new Network(c.spec()).gradientSum(c.p(), ws2, ROWS, g3);
    // assertArrayEquals on float[] compares floatToIntBits: bitwise equality.
    assertArrayEquals(g1.toArray(), g2.toArray(), "repeated call on one workspace");
    assertArrayEquals(g1.toArray(), g3.toArray(), "a second workspace and network");
    assertEquals(s1, s2);
    assertEquals(s1, s3);
    assertFalse(java.util.Arrays.equals(g1.toArray(), new float[g1.count()]), "gradient is not all 0");
  }
}
