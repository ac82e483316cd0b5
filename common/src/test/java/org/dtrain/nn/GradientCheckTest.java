package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.dtrain.math.Blas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GradientCheckTest {
  private static final int[] SIZES = {3, 4, 3, 3};
  private static final int ROWS = 4;
  /** Every parameter of these small layers is checked (perLayer exceeds every layer's count). */
  private static final int ALL = 1000;
  /**
   * GradientCheck steps by h = 1e-4, which moves a pre-activation by at most ~1e-4·max|a|; data
   * within 1e-2 of a relu kink or mae residual 0 is redrawn so every difference is on a smooth piece.
   */
  private static final double MIN_KINK = 1e-2;
  /**
   * The documented threshold: the analytic side is fp32 (~1e-5 relative), the numeric side double
   * with O(h²) ≈ 1e-8 truncation, so a correct backprop sits well below 1e-3.
   */
  private static final double MAX_REL = 1e-3;

  static Stream<Arguments> grid() {
    return NnFixtures.grid().stream();
  }

  private static List<GradientCheck.LayerError> check(NnFixtures.Case c, Blas blas) {
    return GradientCheck.run(new Network(c.spec(), blas), c.p(), c.x(), c.y(), c.rows(), ALL, 42);
  }

  private static NnFixtures.Case smallCase(String hidden, String output, String loss) {
    return NnFixtures.makeCase(SIZES, hidden, output, loss, ROWS,
        1_000L * (hidden.hashCode() + 3L * output.hashCode() + 7L * loss.hashCode()), MIN_KINK);
  }

  @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
  @MethodSource("grid")
  void reportsSmallErrorForACorrectBackprop(String hidden, String output, String loss) {
    NnFixtures.Case c = smallCase(hidden, output, loss);
    List<GradientCheck.LayerError> errors = check(c, Blas.get());
    assertEquals(c.spec().depth(), errors.size());
    for (GradientCheck.LayerError e : errors) {
      assertEquals(c.spec().layer(e.layer()).parameterCount(), e.checked(), "all parameters checked");
      assertTrue(e.maxRelativeError() < MAX_REL, e.name() + ": " + e.maxRelativeError());
    }
  }

  /**
   * A BLAS that computes the right product and then scales the result of one of the three GEMM
   * shapes the network uses. The gradient check's numeric side never touches the BLAS (it evaluates
   * the loss in double from the formulas), so this injects a bug into the analytic gradient only:
   * (false, false) is dA_prev = dZ W, (true, false) is dW = dZᵀ A_prev, (false, true) the forward.
   */
  static final class SkewedBlas extends Blas {
    private final Blas inner = Blas.get();
    private final boolean transA;
    private final boolean transB;
    private final float factor;

    SkewedBlas(boolean transA, boolean transB, float factor) {
      this.transA = transA;
      this.transB = transB;
      this.factor = factor;
    }

    @Override
    public String name() {
      return "skewed " + inner.name();
    }

    @Override
    public void gemm(boolean tA, boolean tB, int m, int n, int k, float alpha, FloatBuffer a, int lda,
        FloatBuffer b, int ldb, float beta, FloatBuffer c, int ldc) {
      inner.gemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      if (tA == transA && tB == transB) {
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) c.put(i * ldc + j, c.get(i * ldc + j) * factor);
        }
      }
    }

    @Override
    public float asum(int n, FloatBuffer x) {
      return inner.asum(n, x);
    }
  }

  @Test
  void flagsAWrongBackpropagatedDeltaInTheEarlierLayersOnly() {
    NnFixtures.Case c = smallCase("tanh", "softmax", "cross_entropy");
    // dA_prev 10% too large: layers 0 and 1 get wrong gradients, the output layer's stay right.
    List<GradientCheck.LayerError> errors = check(c, new SkewedBlas(false, false, 1.1f));
    int last = c.spec().depth() - 1;
    assertTrue(errors.get(last).maxRelativeError() < MAX_REL, errors.get(last).toString());
    for (int l = 0; l < last; l++) {
      // |g − 1.1^d g| / (|g| + |1.1^d g|) ≥ 0.1 / 2.1 ≈ 0.048 for any nonzero entry.
      assertTrue(errors.get(l).maxRelativeError() > 0.04, errors.get(l).toString());
    }
  }

  @Test
  void flagsAWrongWeightGradientInEveryLayer() {
    NnFixtures.Case c = smallCase("relu", "identity", "mse");
    // dW 5% too small in every layer (biases stay right, but the layer maximum covers W too).
    List<GradientCheck.LayerError> errors = check(c, new SkewedBlas(true, false, 0.95f));
    for (GradientCheck.LayerError e : errors) {
      // 0.05 / 1.95 ≈ 0.026 for every nonzero dW entry.
      assertTrue(e.maxRelativeError() > 0.02, e.toString());
    }
  }

  @Test
  void flagsAForwardPassThatDisagreesWithTheLossFormula() {
    NnFixtures.Case c = smallCase("sigmoid", "sigmoid", "binary_cross_entropy");
    // A forward pass 1% off: backprop differentiates a different function from the one the check
    // evaluates, which must show in the output layer at least.
    List<GradientCheck.LayerError> errors = check(c, new SkewedBlas(false, true, 1.01f));
    double worst = errors.stream().mapToDouble(GradientCheck.LayerError::maxRelativeError).max()
        .orElseThrow();
    assertTrue(worst > 10 * MAX_REL, errors.toString());
  }

  @Test
  void refusesAModelWithAStepLayer() {
    ModelSpec spec = ModelSpec.of(new int[] {2, 2, 1}, Activation.parse("step"),
        Activation.parse("sigmoid"), Loss.MSE);
    Parameters p = Parameters.zeros(spec);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradientCheck.run(new Network(spec), p, new float[2], new float[1], 1, 10, 1));
    assertTrue(e.getMessage().contains("step"), e.getMessage());
  }
}
