package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.dtrain.math.Buffers;
import org.junit.jupiter.api.Test;

class LossTest {

  /**
   * Softmax with cross_entropy in one pass gives the bits of the two steps it fuses: the outputs,
   * dZ and the loss sum, on logits from tiny to huge (rows that saturate included).
   */
  @Test
  void fusedSoftmaxCrossEntropyHasTheBitsOfForwardThenLoss() {
    int rows = 300;
    int cols = 10;
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    float[] z = new float[rows * cols];
    float[] y = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      double scale = Math.pow(10, rng.nextInt(-3, 4)); // 0.001 .. 1000
      for (int j = 0; j < cols; j++) z[r * cols + j] = (float) (scale * rng.nextGaussian());
      y[r * cols + rng.nextInt(cols)] = 1f;
    }
    Activation softmax = Activation.of(Activation.Kind.SOFTMAX);
    FloatBuffer a1 = Buffers.allocate(z.length);
    FloatBuffer dz1 = Buffers.allocate(z.length);
    softmax.forward(Buffers.of(z), a1, rows, cols);
    double sum1 = Loss.CROSS_ENTROPY.sumAndGradient(softmax, Buffers.of(z), a1, Buffers.of(y), dz1,
        rows, cols);
    FloatBuffer a2 = Buffers.allocate(z.length);
    FloatBuffer dz2 = Buffers.allocate(z.length);
    double sum2 = Loss.CROSS_ENTROPY.forwardSumAndGradient(softmax, Buffers.of(z), a2,
        Buffers.of(y), dz2, rows, cols);
    assertEquals(Double.doubleToRawLongBits(sum1), Double.doubleToRawLongBits(sum2), "loss sum");
    assertArrayEquals(Buffers.toArray(a1), Buffers.toArray(a2), "softmax outputs");
    assertArrayEquals(Buffers.toArray(dz1), Buffers.toArray(dz2), "dZ");
  }

  @Test
  void everyLossParsesBackFromItsText() {
    for (Loss l : Loss.values()) {
      assertEquals(l, Loss.parse(l.text()));
      assertEquals(l, Loss.parse(" " + l.text().toUpperCase() + " "));
    }
    assertEquals("binary_cross_entropy", Loss.BINARY_CROSS_ENTROPY.text());
  }

  @Test
  void unknownNameMessageListsTheAllowedValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Loss.parse("hinge"));
    for (String allowed : new String[] {"'hinge'", "mse", "mae", "binary_cross_entropy", "cross_entropy"}) {
      assertTrue(e.getMessage().contains(allowed), e.getMessage());
    }
  }

  @Test
  void classificationLossesNameTheirFusedOutput() {
    assertEquals(Activation.Kind.SIGMOID, Loss.BINARY_CROSS_ENTROPY.requiredOutput());
    assertEquals(Activation.Kind.SOFTMAX, Loss.CROSS_ENTROPY.requiredOutput());
    assertNull(Loss.MSE.requiredOutput());
    assertNull(Loss.MAE.requiredOutput());
    assertTrue(Loss.CROSS_ENTROPY.classification());
    assertTrue(Loss.BINARY_CROSS_ENTROPY.classification());
    assertTrue(!Loss.MSE.classification() && !Loss.MAE.classification());
  }

  @Test
  void crossEntropyWithASigmoidOutputIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.of(new int[] {4, 3, 2}, Activation.parse("relu"), Activation.parse("sigmoid"),
            Loss.CROSS_ENTROPY));
    assertTrue(e.getMessage().contains("cross_entropy"), e.getMessage());
    assertTrue(e.getMessage().contains("softmax"), e.getMessage());
  }

  @Test
  void binaryCrossEntropyWithASoftmaxOutputIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.of(new int[] {4, 3, 2}, Activation.parse("relu"), Activation.parse("softmax"),
            Loss.BINARY_CROSS_ENTROPY));
    assertTrue(e.getMessage().contains("binary_cross_entropy"), e.getMessage());
    assertTrue(e.getMessage().contains("sigmoid"), e.getMessage());
  }

  @Test
  void softmaxOutputWithARegressionLossIsRejected() {
    for (Loss l : new Loss[] {Loss.MSE, Loss.MAE}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ModelSpec.of(new int[] {4, 2}, Activation.parse("relu"), Activation.parse("softmax"), l));
      assertTrue(e.getMessage().contains("softmax"), e.getMessage());
    }
  }

  /** Loss sum and dZ for one row of an identity (or given) output with z = a. */
  private static double lossAndGrad(Loss loss, String act, float[] z, float[] y, float[] dzOut) {
    Activation g = Activation.parse(act);
    FloatBuffer zb = Buffers.of(z);
    FloatBuffer a = Buffers.allocate(z.length);
    g.forward(zb, a, 1, z.length);
    FloatBuffer dz = Buffers.allocate(z.length);
    double s = loss.sumAndGradient(g, zb, a, Buffers.of(y), dz, 1, z.length);
    System.arraycopy(Buffers.toArray(dz), 0, dzOut, 0, z.length);
    return s;
  }

  @Test
  void mseAndMaeMatchTheirFormulasAndMaeHasZeroGradientAtZeroResidual() {
    float[] dz = new float[3];
    // mse: ½ (1 + 4 + 0) = 2.5, dz = ŷ − y.
    assertEquals(2.5, lossAndGrad(Loss.MSE, "identity", new float[] {1, 0, 3}, new float[] {0, 2, 3}, dz), 0);
    assertArrayEquals(new float[] {1, -2, 0}, dz);
    // mae: 1 + 2 + 0 = 3, dz = sign(ŷ − y) with sign(0) = 0.
    assertEquals(3, lossAndGrad(Loss.MAE, "identity", new float[] {1, 0, 3}, new float[] {0, 2, 3}, dz), 0);
    assertArrayEquals(new float[] {1, -1, 0}, dz);
  }

  @Test
  void lossOnlyEvaluationEqualsTheLossWithGradient() {
    float[] z = {0.3f, -1.2f, 2f};
    float[] y = {0f, 1f, 0f};
    FloatBuffer zb = Buffers.of(z);
    Activation soft = Activation.parse("softmax");
    FloatBuffer a = Buffers.allocate(3);
    soft.forward(zb, a, 1, 3);
    double withGrad = Loss.CROSS_ENTROPY.sumAndGradient(soft, zb, a, Buffers.of(y), Buffers.allocate(3), 1, 3);
    assertEquals(withGrad, Loss.CROSS_ENTROPY.sum(soft, zb, a, Buffers.of(y), 1, 3), 0);
    // −log softmax(z)_1 in double. The main code shifts by max(z) in fp32 (z_j − max rounds to
    // 2^-24 relative), so the loss is good to ~1e-7 relative, not to double precision.
    double lse = Math.log(Math.exp(0.3f) + Math.exp(-1.2f) + Math.exp(2f));
    assertEquals(lse - (-1.2f), withGrad, 1e-6 * withGrad);
  }

  @Test
  void binaryCrossEntropyIsStableAndZeroForConfidentRightAnswers() {
    float[] dz = new float[4];
    // z = ±1e4 at targets of the same sign: loss 0, gradient 0; at the wrong sign: loss |z|, dz = ±1.
    double s = lossAndGrad(Loss.BINARY_CROSS_ENTROPY, "sigmoid", new float[] {1e4f, -1e4f, 1e4f, -1e4f},
        new float[] {1, 0, 0, 1}, dz);
    assertEquals(2e4, s, 0);
    assertArrayEquals(new float[] {0, 0, 1, -1}, dz);
    // z = 0: log 2 whatever the target.
    assertEquals(Math.log(2), lossAndGrad(Loss.BINARY_CROSS_ENTROPY, "sigmoid", new float[] {0},
        new float[] {1}, new float[1]), 1e-15);
  }
}
