package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.dtrain.math.JavaBlas;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact bits of a few training steps (gradients, loss sums and updated parameters), so that
 * performance work on the element-wise kernels provably changes no result. Uses the plain-Java GEMM,
 * whose summation order is fixed by its source (OpenBLAS kernels differ between CPUs). The golden
 * values were recorded with the kernels of commit 879dfee (the straightforward per-element loops).
 * Sizes are odd and the parameter count exceeds 2048 so that chunked loops have ragged tails.
 */
class StepBitsGoldenTest {

  static long run(String hidden, String output, Loss loss, OptimizerConfig.Kind opt) {
    ModelSpec spec = ModelSpec.of(new int[] {61, 41, 29, 5}, Activation.parse(hidden),
        Activation.parse(output), loss);
    Network net = new Network(spec, new JavaBlas());
    Parameters p = Parameters.zeros(spec);
    Initializer.initialize(p, 11);
    Parameters grad = Parameters.zeros(spec);
    int rows = 37;
    Workspace ws = new Workspace(spec, rows);
    Optimizer o = new Optimizer(OptimizerConfig.of(opt).withWeightDecay(opt == OptimizerConfig.Kind.SGD ? 0f : 1e-3f), spec);
    SplittableRandom rng = new SplittableRandom(5);
    float[] x = new float[rows * 3 * 61];
    for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
    x[3] = -0f;
    x[4] = 0f;
    float[] y = new float[rows * 3 * 5];
    for (int r = 0; r < rows * 3; r++) {
      if (loss == Loss.CROSS_ENTROPY) {
        y[r * 5 + rng.nextInt(5)] = 1f;
      } else {
        for (int k = 0; k < 5; k++) y[r * 5 + k] = (float) rng.nextDouble();
      }
    }
    long h = 17;
    for (int step = 0; step < 3; step++) {
      ws.load(x, y, step * rows, rows);
      BatchStats s = net.gradientSum(p, ws, rows, grad);
      h = mix(h, Double.doubleToRawLongBits(s.lossSum()));
      h = mix(h, s.correct());
      grad.divide(rows);
      h = hash(h, grad.values(), grad.count());
      o.step(p, grad, 0.05f);
      h = hash(h, p.values(), p.count());
    }
    return h;
  }

  static long hash(long h, FloatBuffer b, int n) {
    for (int i = 0; i < n; i++) h = mix(h, Float.floatToRawIntBits(b.get(i)));
    return h;
  }

  static long mix(long h, long v) {
    return Seeds.mix(h * 31 + v);
  }

  @Test
  void reluSoftmaxCrossEntropySgd() {
    assertEquals(GOLDEN[0], run("relu", "softmax", Loss.CROSS_ENTROPY, OptimizerConfig.Kind.SGD));
  }

  @Test
  void leakyReluSoftmaxCrossEntropyMomentum() {
    assertEquals(GOLDEN[1], run("leaky_relu:0.2", "softmax", Loss.CROSS_ENTROPY,
        OptimizerConfig.Kind.MOMENTUM));
  }

  @Test
  void sigmoidIdentityMseAdam() {
    assertEquals(GOLDEN[2], run("sigmoid", "identity", Loss.MSE, OptimizerConfig.Kind.ADAM));
  }

  @Test
  void tanhSigmoidMseSgd() {
    assertEquals(GOLDEN[3], run("tanh", "sigmoid", Loss.MSE, OptimizerConfig.Kind.SGD));
  }

  static final long[] GOLDEN = {
      -1787674813478627280L, -599279511923914081L, -5100976221115625384L, 7318086072184438026L};

  public static void main(String[] args) {
    System.out.println(run("relu", "softmax", Loss.CROSS_ENTROPY, OptimizerConfig.Kind.SGD) + "L, "
        + run("leaky_relu:0.2", "softmax", Loss.CROSS_ENTROPY, OptimizerConfig.Kind.MOMENTUM) + "L, "
        + run("sigmoid", "identity", Loss.MSE, OptimizerConfig.Kind.ADAM) + "L, "
        + run("tanh", "sigmoid", Loss.MSE, OptimizerConfig.Kind.SGD) + "L");
  }
}
