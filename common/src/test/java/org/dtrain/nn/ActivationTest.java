package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.dtrain.math.Buffers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActivationTest {

  @ParameterizedTest
  @ValueSource(strings = {"identity", "step", "sigmoid", "tanh", "relu", "leaky_relu",
      "leaky_relu:0.2", "leaky_relu:0.5", "softmax"})
  void textParsesBackToAnEqualActivation(String text) {
    Activation a = Activation.parse(text);
    assertEquals(text, a.text());
    assertEquals(a, Activation.parse(a.text()));
    assertEquals(a.hashCode(), Activation.parse(a.text()).hashCode());
  }

  @Test
  void parsesLeakyReluSlopeCaseAndBlanksInsensitively() {
    Activation a = Activation.parse("  Leaky_ReLU:0.2 ");
    assertEquals(Activation.Kind.LEAKY_RELU, a.kind());
    assertEquals(0.2f, a.alpha());
    assertEquals("leaky_relu:0.2", a.text());
    assertEquals(Activation.DEFAULT_LEAKY_SLOPE, Activation.parse("leaky_relu").alpha());
    // The default slope written explicitly is the same activation, and prints in its short form.
    assertEquals(Activation.parse("leaky_relu"), Activation.parse("leaky_relu:0.01"));
    assertEquals("leaky_relu", Activation.parse("leaky_relu:0.01").text());
  }

  @Test
  void unknownNameMessageListsTheAllowedValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Activation.parse("swish"));
    for (String allowed : new String[] {"'swish'", "identity", "step", "sigmoid", "tanh", "relu",
        "leaky_relu:<slope>", "softmax"}) {
      assertTrue(e.getMessage().contains(allowed), e.getMessage());
    }
  }

  @Test
  void badLeakySlopesAreRejectedWithAMessage() {
    IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
        () -> Activation.parse("leaky_relu:abc"));
    assertTrue(notNumber.getMessage().contains("leaky_relu:0.2"), notNumber.getMessage());
    for (String bad : new String[] {"leaky_relu:1", "leaky_relu:-0.1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Activation.parse(bad));
      assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Activation.parse("leaky_relu:NaN"));
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> Activation.leakyRelu(Float.NaN));
    assertTrue(nan.getMessage().contains("[0, 1)"), nan.getMessage());
  }

  private static float[] forward(String act, float... z) {
    FloatBuffer a = Buffers.allocate(z.length);
    Activation.parse(act).forward(Buffers.of(z), a, 1, z.length);
    return Buffers.toArray(a);
  }

  /** dZ for dA = 1 at each z: the derivative itself. */
  private static float[] derivative(String act, float... z) {
    Activation g = Activation.parse(act);
    FloatBuffer zb = Buffers.of(z);
    FloatBuffer a = Buffers.allocate(z.length);
    g.forward(zb, a, 1, z.length);
    FloatBuffer dA = Buffers.allocate(z.length);
    Buffers.fill(dA, z.length, 1f);
    FloatBuffer dZ = Buffers.allocate(z.length);
    g.backward(zb, a, dA, dZ, z.length);
    return Buffers.toArray(dZ);
  }

  @Test
  void reluDerivativeAtZeroIsOne() {
    assertEquals(1f, derivative("relu", 0f)[0]);
    assertEquals(1f, derivative("relu", -0f)[0]); // −0 >= 0 as well
    assertEquals(0f, derivative("relu", -1e-30f)[0]);
    assertEquals(1f, derivative("relu", 3f)[0]);
    assertEquals(0f, forward("relu", 0f)[0]);
  }

  /** Floats of every class: ±0, subnormals, normals, ±max, ±inf, quiet and signalling NaNs. */
  private static final int[] SPECIAL_BITS = {0, 0x80000000, 1, 0x80000001, 0x007FFFFF, 0x807FFFFF,
      0x00800000, 0x80800000, 0x3F800000, 0xBF800000, 0x7F7FFFFF, 0xFF7FFFFF, 0x7F800000,
      0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0xFF800001, 0x7FFFFFFF, 0xFFFFFFFF};

  @Test
  void theBranchFreeSignMaskIsExactlyZGreaterOrEqualToZero() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    for (int i = 0; i < SPECIAL_BITS.length + 100_000; i++) {
      int bits = i < SPECIAL_BITS.length ? SPECIAL_BITS[i] : rng.nextInt();
      float z = Float.intBitsToFloat(bits);
      assertEquals(z >= 0f ? -1 : 0, Activation.nonNegativeMask(bits), "z bits " + bits);
    }
  }

  /**
   * The relu derivatives against the branching form they replace, bit for bit, over every class of
   * z and dA (NaN payloads and -0 included) and more values than one heap chunk holds.
   */
  @ParameterizedTest
  @ValueSource(strings = {"relu", "leaky_relu:0.2"})
  void reluDerivativesHaveTheBitsOfTheBranchingForm(String act) {
    Activation g = Activation.parse(act);
    int n = 3 * org.dtrain.math.Scratch.CHUNK + 17;
    java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
    float[] z = new float[n];
    float[] dA = new float[n];
    for (int i = 0; i < n; i++) {
      int k = SPECIAL_BITS.length;
      z[i] = Float.intBitsToFloat(i < k * k ? SPECIAL_BITS[i % k] : rng.nextInt());
      dA[i] = Float.intBitsToFloat(i < k * k ? SPECIAL_BITS[i / k] : rng.nextInt());
    }
    FloatBuffer dZ = Buffers.allocate(n);
    g.backward(Buffers.of(z), Buffers.allocate(n), Buffers.of(dA), dZ, n);
    // In place, through int views of the same memory (the network's path).
    java.nio.ByteBuffer zBytes = Buffers.allocateBytes(n);
    java.nio.ByteBuffer dBytes = Buffers.allocateBytes(n);
    FloatBuffer zIn = zBytes.asFloatBuffer().put(0, z);
    FloatBuffer dIn = dBytes.asFloatBuffer().put(0, dA);
    g.backwardInPlace(zIn, Buffers.allocate(n), dIn, zBytes.asIntBuffer(), dBytes.asIntBuffer(), n);
    for (int i = 0; i < n; i++) {
      float expected = z[i] >= 0f ? dA[i] : (g.kind() == Activation.Kind.RELU ? 0f : g.alpha() * dA[i]);
      String where = "z " + z[i] + " (bits " + Float.floatToRawIntBits(z[i]) + "), dA " + dA[i];
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(dZ.get(i)), where);
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(dIn.get(i)),
          "in place: " + where);
    }
    if (g.kind() == Activation.Kind.LEAKY_RELU) { // its forward selects by the same mask
      FloatBuffer a = Buffers.allocate(n);
      g.forward(Buffers.of(z), a, 1, n);
      for (int i = 0; i < n; i++) {
        float expected = z[i] >= 0f ? z[i] : g.alpha() * z[i];
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(a.get(i)),
            "forward of z " + z[i]);
      }
    }
  }

  @Test
  void leakyReluUsesItsSlopeBelowZeroAndOneFromZeroUp() {
    float[] d = derivative("leaky_relu:0.2", -2f, 0f, 2f);
    assertEquals(0.2f, d[0]);
    assertEquals(1f, d[1]);
    assertEquals(1f, d[2]);
    float[] a = forward("leaky_relu:0.2", -2f, 0f, 2f);
    assertEquals(-0.4f, a[0], 1e-7f); // 0.2f · −2 rounded once in fp32
    assertEquals(0f, a[1]);
    assertEquals(2f, a[2]);
  }

  @Test
  void sigmoidAndTanhDerivativesComeFromTheirOutputs() {
    // σ'(0) = ¼, tanh'(0) = 1; at z = 2: σ(2)(1 − σ(2)), 1 − tanh²(2). fp32: 1e-6 absolute.
    double s2 = 1 / (1 + Math.exp(-2));
    float[] ds = derivative("sigmoid", 0f, 2f);
    assertEquals(0.25f, ds[0], 1e-7f);
    assertEquals(s2 * (1 - s2), ds[1], 1e-6);
    float[] dt = derivative("tanh", 0f, 2f);
    assertEquals(1f, dt[0], 1e-7f);
    assertEquals(1 - Math.tanh(2) * Math.tanh(2), dt[1], 1e-6);
    assertEquals(1f, derivative("identity", -5f)[0]);
    // Saturation gives exact 0 and 1, not NaN.
    float[] sat = forward("sigmoid", -1e4f, 1e4f);
    assertEquals(0f, sat[0]);
    assertEquals(1f, sat[1]);
  }

  @Test
  void stepIsOneAboveZeroAndZeroOtherwiseAndHasNoBackward() {
    float[] a = forward("step", -3f, -0f, 0f, 1e-30f, 5f);
    assertEquals(0f, a[0]);
    assertEquals(0f, a[1]);
    assertEquals(0f, a[2]);
    assertEquals(1f, a[3]);
    assertEquals(1f, a[4]);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> derivative("step", 1f));
    assertTrue(e.getMessage().contains("derivative"), e.getMessage());
  }

  @Test
  void softmaxRowsSumToOneAndSurviveLargeLogits() {
    float[][] rows = {{1f, 2f, 3f}, {1000f, 1000f, -1000f}, {1000f, 0f, -1000f}, {-1000f, -1000f, -1000f},
        {88f, 89f, 90f}};
    int k = 3;
    FloatBuffer z = Buffers.allocate(rows.length * k);
    for (int r = 0; r < rows.length; r++) z.put(r * k, rows[r]);
    FloatBuffer a = Buffers.allocate(rows.length * k);
    Activation.parse("softmax").forward(z, a, rows.length, k);
    for (int r = 0; r < rows.length; r++) {
      double sum = 0;
      for (int j = 0; j < k; j++) {
        float v = a.get(r * k + j);
        assertTrue(Float.isFinite(v) && v >= 0f && v <= 1f, "row " + r + ": " + v);
        sum += v;
      }
      // Each of 3 entries rounded once to fp32 after a double normalisation: 3 ulps of 1.
      assertEquals(1.0, sum, 3e-7, "row " + r);
    }
    assertEquals(0.5f, a.get(k), 0f);        // (1000, 1000, −1000) → (½, ½, 0)
    assertEquals(0f, a.get(k + 2), 0f);
    assertEquals(1f, a.get(2 * k), 0f);      // (1000, 0, −1000) → (1, 0, 0)
    assertEquals(1f / 3, a.get(3 * k), 1e-7); // all equal
    // Row 0 against the textbook formula, in double: e^{z_j} / Σ e^{z}.
    double den = Math.exp(1) + Math.exp(2) + Math.exp(3);
    for (int j = 0; j < k; j++) assertEquals(Math.exp(j + 1) / den, a.get(j), 1e-7);
  }

  @Test
  void stepInAModelIsRejectedForTrainingButNotForInference() {
    ModelSpec spec = ModelSpec.of(new int[] {2, 2, 1}, Activation.parse("step"),
        Activation.parse("sigmoid"), Loss.MSE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, spec::requireTrainable);
    assertTrue(e.getMessage().contains("step"), e.getMessage());
    assertTrue(e.getMessage().contains("derivative"), e.getMessage());
    // Also as the output layer.
    ModelSpec out = ModelSpec.of(new int[] {2, 1}, Activation.parse("step"), Activation.parse("step"),
        Loss.MSE);
    assertThrows(IllegalArgumentException.class, out::requireTrainable);
  }

  @Test
  void softmaxOnAHiddenLayerIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.of(new int[] {4, 3, 2}, Activation.parse("softmax"),
            Activation.parse("softmax"), Loss.CROSS_ENTROPY));
    assertTrue(e.getMessage().contains("softmax"), e.getMessage());
    assertTrue(e.getMessage().contains("hidden"), e.getMessage());
  }

  @Test
  void onlyTheReluFamilyIsInitialisedWithHe() {
    assertTrue(Activation.parse("relu").reluFamily());
    assertTrue(Activation.parse("leaky_relu:0.2").reluFamily());
    for (String s : new String[] {"identity", "step", "sigmoid", "tanh", "softmax"}) {
      assertEquals(false, Activation.parse(s).reluFamily(), s);
    }
  }
}
