package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.dtrain.math.Blas;
import org.dtrain.math.Buffers;
import org.dtrain.math.JavaBlas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * From {@link Network#TRANSPOSED_WEIGHT_GRADIENT_ROWS} rows on, dW is computed as (A_prevᵀ dZ)ᵀ:
 * the same sums in the same order, hence the same bits as dZᵀ A_prev, on both BLAS paths.
 */
class WeightGradientTransposeTest {

  @ParameterizedTest
  @ValueSource(strings = {"java", "native"})
  void bothWaysGiveTheSameBits(String path) {
    Blas blas = path.equals("java") ? new JavaBlas() : Blas.get();
    ModelSpec spec = ModelSpec.of(new int[] {61, 41, 29, 5}, Activation.parse("relu"),
        Activation.parse("softmax"), Loss.CROSS_ENTROPY);
    int rows = 37;
    assertSameBits(spec, blas, rows, 13);
  }

  @Test
  void atTheThresholdOnOpenBlasTheBitsAreTheSameAsBelowIt() {
    ModelSpec spec = ModelSpec.of(new int[] {97, 64, 10}, Activation.parse("tanh"),
        Activation.parse("softmax"), Loss.CROSS_ENTROPY);
    assertSameBits(spec, Blas.get(), Network.TRANSPOSED_WEIGHT_GRADIENT_ROWS + 5, 17);
  }

  private static void assertSameBits(ModelSpec spec, Blas blas, int rows, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Parameters p = Parameters.zeros(spec);
    Initializer.initialize(p, seed);
    float[] x = NnFixtures.inputs(rng, rows, spec.inputs());
    float[] y = new float[rows * spec.outputs()];
    for (int r = 0; r < rows; r++) y[r * spec.outputs() + rng.nextInt(spec.outputs())] = 1f;
    Parameters direct = gradient(new Network(spec, blas, Integer.MAX_VALUE), spec, p, x, y, rows);
    Parameters flipped = gradient(new Network(spec, blas, 1), spec, p, x, y, rows);
    for (int i = 0; i < direct.count(); i++) {
      assertEquals(Float.floatToRawIntBits(direct.values().get(i)),
          Float.floatToRawIntBits(flipped.values().get(i)), "parameter " + i);
    }
  }

  private static Parameters gradient(Network net, ModelSpec spec, Parameters p, float[] x,
      float[] y, int rows) {
    Workspace ws = new Workspace(spec, rows);
    ws.load(x, y, 0, rows);
    Parameters g = Parameters.zeros(spec);
    net.gradientSum(p, ws, rows, g);
    return g;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 31, 32, 33, 70})
  void transposeMovesEveryValue(int cols) {
    for (int rows : new int[] {1, 7, 32, 45, 64}) {
      FloatBuffer src = Buffers.allocate(rows * cols);
      for (int i = 0; i < rows * cols; i++) src.put(i, i * 0.5f - 3f);
      FloatBuffer dst = Buffers.allocate(rows * cols);
      Network.transpose(src, rows, cols, dst);
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          assertEquals(src.get(r * cols + c), dst.get(c * rows + r), rows + "x" + cols + " at " + r
              + "," + c);
        }
      }
    }
  }
}
