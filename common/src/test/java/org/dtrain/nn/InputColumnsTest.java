package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.dtrain.math.Blas;
import org.dtrain.math.Buffers;
import org.dtrain.math.JavaBlas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A shard's unused input columns (zero in every row) are left out of the first layer's products:
 * the same gradient, to the bit on the plain-Java BLAS (it adds the same non-zero terms in the same
 * order) and within float round-off on OpenBLAS (which blocks a shorter K differently).
 */
class InputColumnsTest {
  private static final float NAN = Float.NaN;

  @Test
  void aColumnIsUsedWhenAnyRowHoldsSomethingOtherThanZero() {
    float[] x = {
        0f, 1f, 2f, -0f, 0f, 0f,
        0f, 0f, 3f, 0f, NAN, 0f,
    };
    InputColumns c = InputColumns.of(x, 2, 6);
    assertEquals(6, c.total());
    assertEquals(3, c.used()); // columns 1, 2 and 4 (NaN counts, -0 does not)
    assertArrayEquals(new float[] {1f, 2f, 0f, 0f, 3f, NAN}, c.narrow(x, 2));
  }

  @Test
  void widenPutsTheUsedColumnsBackWithZerosElsewhere() {
    float[] x = {0f, 5f, 6f, 0f, 7f, 0f};
    InputColumns c = InputColumns.of(x, 1, 6); // runs [1, 3) and [4, 5)
    FloatBuffer full = Buffers.allocate(12);
    for (int i = 0; i < 12; i++) full.put(i, 100 + i);
    FloatBuffer narrow = Buffers.allocate(6);
    c.narrow(full, 2, narrow);
    float[] got = new float[6];
    narrow.get(0, got);
    assertArrayEquals(new float[] {101, 102, 104, 107, 108, 110}, got);

    FloatBuffer back = Buffers.allocate(12);
    for (int i = 0; i < 12; i++) back.put(i, -1f);
    c.widen(narrow, 2, back);
    float[] wide = new float[12];
    back.get(0, wide);
    assertArrayEquals(new float[] {0, 101, 102, 0, 104, 0, 0, 107, 108, 0, 110, 0}, wide);
  }

  @Test
  void narrowsOnlyWhenSomeButNotAllColumnsAreUnusedAndTheStepIsLargeEnough() {
    int big = InputColumns.MIN_ROWS;
    assertTrue(InputColumns.of(new float[] {0f, 1f}, 1, 2).narrows(big));
    assertFalse(InputColumns.of(new float[] {0f, 1f}, 1, 2).narrows(big - 1));
    assertFalse(InputColumns.of(new float[] {2f, 1f}, 1, 2).narrows(big)); // every column used
    assertFalse(InputColumns.of(new float[] {0f, 0f}, 1, 2).narrows(big)); // none: K would be 0
  }

  @Test
  void aMismatchedShapeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> InputColumns.of(new float[5], 2, 3));
    ModelSpec spec = spec(new int[] {4, 3, 2});
    InputColumns threeWide = InputColumns.of(new float[] {1f, 0f, 1f}, 1, 3);
    Workspace ws = new Workspace(spec, 1);
    assertThrows(IllegalArgumentException.class,
        () -> ws.gather(threeWide, new float[2], new float[2], new int[] {0}, 0, 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {40, 2 * Workspace.PASS_ROWS + 7})
  void onTheJavaBlasTheNarrowStepHasTheFullStepsBits(int rows) {
    ModelSpec spec = spec(new int[] {53, 17, 9, 4});
    float[] x = sparseInputs(rows, spec.inputs(), 3);
    Blas blas = new JavaBlas();
    Step full = step(new Network(spec, blas), spec, x, rows, false);
    Step narrow = step(new Network(spec, blas), spec, x, rows, true);
    for (int i = 0; i < full.grad.count(); i++) {
      assertEquals(Float.floatToRawIntBits(full.grad.values().get(i)),
          Float.floatToRawIntBits(narrow.grad.values().get(i)), "parameter " + i);
    }
    assertEquals(full.stats, narrow.stats);
  }

  @ParameterizedTest
  @ValueSource(ints = {300, 2 * Workspace.PASS_ROWS + 3})
  void onOpenBlasTheNarrowStepAgreesWithTheFullOneAndUnusedColumnsGetZero(int rows) {
    ModelSpec spec = spec(new int[] {120, 64, 10});
    float[] x = sparseInputs(rows, spec.inputs(), 11);
    InputColumns columns = InputColumns.of(x, rows, spec.inputs());
    assertTrue(columns.used() < spec.inputs() && columns.narrows(rows), "the test needs gaps");
    Network net = new Network(spec, Blas.get());
    Step full = step(net, spec, x, rows, false);
    Step narrow = step(net, spec, x, rows, true);
    double max = 0;
    for (int i = 0; i < full.grad.count(); i++) {
      max = Math.max(max, Math.abs(full.grad.values().get(i)));
    }
    for (int i = 0; i < full.grad.count(); i++) {
      assertEquals(full.grad.values().get(i), narrow.grad.values().get(i), 1e-5 * max,
          "parameter " + i);
    }
    FloatBuffer dw0 = narrow.grad.weights(0); // (64, 120)
    for (int c = 0; c < spec.inputs(); c++) {
      if (!unusedIn(x, rows, spec.inputs(), c)) continue;
      for (int o = 0; o < 64; o++) {
        assertEquals(0, Float.floatToRawIntBits(dw0.get(o * 120 + c)), "dW[" + o + "][" + c + "]");
      }
    }
    assertEquals(full.stats.samples(), narrow.stats.samples());
    assertEquals(full.stats.lossSum(), narrow.stats.lossSum(), 1e-5 * Math.abs(full.stats.lossSum()));
  }

  private record Step(Parameters grad, BatchStats stats) {}

  private static Step step(Network net, ModelSpec spec, float[] x, int rows, boolean narrow) {
    Parameters p = Parameters.zeros(spec);
    Initializer.initialize(p, 5);
    SplittableRandom rng = new SplittableRandom(9);
    float[] y = new float[rows * spec.outputs()];
    for (int r = 0; r < rows; r++) y[r * spec.outputs() + rng.nextInt(spec.outputs())] = 1f;
    int[] order = new int[rows];
    for (int r = 0; r < rows; r++) order[r] = rows - 1 - r; // a permutation, not the identity
    Workspace ws = new Workspace(spec, rows);
    if (narrow) {
      InputColumns columns = InputColumns.of(x, rows, spec.inputs());
      ws.gather(columns, columns.narrow(x, rows), y, order, 0, rows);
    } else {
      ws.gather(x, y, order, 0, rows);
    }
    Parameters g = Parameters.zeros(spec);
    BatchStats stats = net.gradientSum(p, ws, rows, g);
    return new Step(g, stats);
  }

  /** Like min-max-scaled images: every third column zero throughout, the rest 70% zeros. */
  private static float[] sparseInputs(int rows, int cols, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (c % 3 != 0 && rng.nextDouble() < 0.3) x[r * cols + c] = (float) rng.nextDouble();
      }
    }
    return x;
  }

  private static boolean unusedIn(float[] x, int rows, int cols, int c) {
    for (int r = 0; r < rows; r++) {
      if (x[r * cols + c] != 0f) return false;
    }
    return true;
  }

  private static ModelSpec spec(int[] sizes) {
    return ModelSpec.of(sizes, Activation.parse("relu"), Activation.parse("softmax"),
        Loss.CROSS_ENTROPY);
  }
}
