package org.dtrain.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The native OpenBLAS GEMM against the plain-Java one, and both against a double-precision sum. */
class BlasTest {
  /**
   * Per element, |C_native − C_java| ≤ 1e-5 · scale_ij with scale_ij = |α| Σ_p |op(A)_ip op(B)_pj| +
   * |β C0_ij| (the "row's abs-sum scale" of that dot product). A float dot product of length k is off
   * by at most ~k·2^-24 of that scale (Higham, Thm 3.1), typically √k·2^-24: for k = 129 that is
   * ≤ 7.7e-6 worst case and ~7e-7 typical, while any indexing or transpose error is O(1).
   */
  private static final double MAX_REL = 1e-5;

  private static final Blas JAVA = new JavaBlas();
  private static final Blas NATIVE = new OpenBlas();

  static Stream<Arguments> cases() {
    int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {64, 33, 129}, {7, 1, 5}, {1, 9, 2}};
    float[][] alphaBeta = {{1f, 0f}, {1f, 1f}, {-0.7f, 0f}, {2.5f, 1f}, {0.5f, -0.3f}};
    List<Arguments> out = new ArrayList<>();
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        for (int[] s : sizes) {
          for (float[] ab : alphaBeta) out.add(Arguments.of(ta, tb, s[0], s[1], s[2], ab[0], ab[1]));
        }
      }
    }
    return out.stream();
  }

  @Test
  void blasGetIsTheNativeOpenBlasWhenItsNativesAreOnTheClasspath() {
    Blas b = Blas.get();
    assertFalse(b instanceof JavaBlas, "Blas.get() fell back to " + b.name());
    assertInstanceOf(OpenBlas.class, b);
    assertTrue(b.name().startsWith("openblas"), b.name());
    assertEquals("java", JAVA.name());
  }

  /** A random (rows, cols) matrix stored with row stride ld ≥ cols; padding filled with junk. */
  private static FloatBuffer matrix(SplittableRandom rng, int rows, int cols, int ld) {
    FloatBuffer b = Buffers.allocate(Math.max(1, rows * ld));
    for (int i = 0; i < b.capacity(); i++) b.put(i, 1e6f); // junk: must never be read
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) b.put(r * ld + c, (float) (rng.nextDouble() * 2 - 1));
    }
    return b;
  }

  @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} alpha={5} beta={6}")
  @MethodSource("cases")
  void nativeGemmMatchesJavaGemmAndADoubleSum(boolean ta, boolean tb, int m, int n, int k,
      float alpha, float beta) {
    SplittableRandom rng = new SplittableRandom(m * 1_000_003L + n * 1009L + k + (ta ? 7 : 0)
        + (tb ? 13 : 0));
    // Stored shapes: A is (m, k) or, transposed, (k, m); B is (k, n) or (n, k). Strides padded by 3
    // so lda/ldb/ldc are honoured rather than assumed equal to the column count.
    int aRows = ta ? k : m;
    int aCols = ta ? m : k;
    int bRows = tb ? n : k;
    int bCols = tb ? k : n;
    int lda = aCols + 3;
    int ldb = bCols + 3;
    int ldc = n + 3;
    FloatBuffer a = matrix(rng, aRows, aCols, lda);
    FloatBuffer b = matrix(rng, bRows, bCols, ldb);
    FloatBuffer c0 = matrix(rng, m, n, ldc);
    FloatBuffer cNative = Buffers.allocate(c0.capacity());
    FloatBuffer cJava = Buffers.allocate(c0.capacity());
    Buffers.copy(c0, cNative, c0.capacity());
    Buffers.copy(c0, cJava, c0.capacity());

    NATIVE.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, cNative, ldc);
    JAVA.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, cJava, ldc);

    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double exact = 0;
        double scale = 0;
        for (int p = 0; p < k; p++) {
          double av = ta ? a.get(p * lda + i) : a.get(i * lda + p);
          double bv = tb ? b.get(j * ldb + p) : b.get(p * ldb + j);
          exact += av * bv;
          scale += Math.abs(av * bv);
        }
        double prior = c0.get(i * ldc + j);
        exact = alpha * exact + beta * prior;
        scale = Math.abs(alpha) * scale + Math.abs(beta * prior);
        float nat = cNative.get(i * ldc + j);
        float jav = cJava.get(i * ldc + j);
        String at = "C[" + i + "][" + j + "]";
        assertTrue(Math.abs(nat - jav) <= MAX_REL * scale, at + " native " + nat + " java " + jav);
        assertTrue(Math.abs(nat - exact) <= MAX_REL * scale, at + " native " + nat + " exact " + exact);
        assertTrue(Math.abs(jav - exact) <= MAX_REL * scale, at + " java " + jav + " exact " + exact);
      }
      // The padding of each C row is left alone.
      for (int j = n; j < ldc; j++) {
        assertEquals(c0.get(i * ldc + j), cNative.get(i * ldc + j), "native wrote padding");
        assertEquals(c0.get(i * ldc + j), cJava.get(i * ldc + j), "java wrote padding");
      }
    }
  }

  @Test
  void gemmWithNoRowsOrNoColumnsIsANoOp() {
    for (Blas blas : new Blas[] {NATIVE, JAVA}) {
      FloatBuffer a = Buffers.of(1f, 2f, 3f, 4f);
      FloatBuffer b = Buffers.of(5f, 6f, 7f, 8f);
      FloatBuffer c = Buffers.of(9f, 9f, 9f, 9f);
      blas.gemm(false, false, 0, 2, 2, 1f, a, 2, b, 2, 0f, c, 2);
      assertArrayEquals(new float[] {9f, 9f, 9f, 9f}, Buffers.toArray(c), blas.name() + " m=0");
      blas.gemm(true, true, 2, 0, 2, 1f, a, 2, b, 2, 0f, c, 2);
      assertArrayEquals(new float[] {9f, 9f, 9f, 9f}, Buffers.toArray(c), blas.name() + " n=0");
      // Zero-row buffers are legal inputs too (an empty shard).
      FloatBuffer empty = Buffers.allocate(0);
      blas.gemm(false, true, 0, 3, 4, 1f, empty, 4, Buffers.allocate(12), 4, 1f, empty, 3);
    }
  }

  @Test
  void gemmWithEmptyInnerDimensionScalesCByBeta() {
    // k = 0: op(A) op(B) is the zero matrix, so C := beta C (BLAS semantics).
    for (Blas blas : new Blas[] {NATIVE, JAVA}) {
      FloatBuffer c = Buffers.of(1f, 2f, 3f, 4f);
      blas.gemm(false, false, 2, 2, 0, 1f, Buffers.allocate(1), 1, Buffers.allocate(2), 2, 0.5f, c, 2);
      assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, Buffers.toArray(c), blas.name());
    }
  }

  @Test
  void betaZeroOverwritesCEvenWhenItHoldsNaN() {
    // The network writes gradients with beta = 0 into buffers that may hold anything.
    for (Blas blas : new Blas[] {NATIVE, JAVA}) {
      FloatBuffer c = Buffers.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NaN, 1f);
      blas.gemm(false, false, 2, 2, 2, 1f, Buffers.of(1f, 2f, 3f, 4f), 2, Buffers.of(1f, 0f, 0f, 1f),
          2, 0f, c, 2);
      assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, Buffers.toArray(c), blas.name());
    }
  }

  @Test
  void nativeGemmIsBitwiseReproducible() {
    SplittableRandom rng = new SplittableRandom(3);
    int m = 70;
    int n = 65;
    int k = 300;
    FloatBuffer a = matrix(rng, m, k, k);
    FloatBuffer b = matrix(rng, k, n, n);
    float[] first = null;
    for (int rep = 0; rep < 5; rep++) {
      FloatBuffer c = Buffers.allocate(m * n);
      Blas.get().gemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
      float[] now = Buffers.toArray(c);
      if (first == null) {
        first = now;
      } else {
        assertArrayEquals(first, now, "repetition " + rep);
      }
    }
  }

  @Test
  void allFiniteFindsEveryNanAndInfinityAndNothingElseOnBothPaths() {
    // the native sum of magnitudes vectorises its tail apart from its body: a bad value at every
    // position of a length that is not a multiple of any vector width, and in a long buffer
    int n = 1_003;
    FloatBuffer v = Buffers.allocate(n);
    for (int i = 0; i < n; i++) v.put(i, (i % 7 - 3) * 0.25f);
    v.put(5, Float.MIN_VALUE);
    v.put(6, -0f);
    for (Blas blas : List.of(JAVA, NATIVE)) {
      assertTrue(blas.allFinite(v, n), blas.name());
      for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
          Float.intBitsToFloat(0xffc00001), Float.intBitsToFloat(0x7f800001)}) {
        for (int i = 0; i < n; i += i < 40 || i > n - 40 ? 1 : 97) {
          float keep = v.get(i);
          v.put(i, bad);
          assertFalse(blas.allFinite(v, n), blas.name() + ": " + bad + " at " + i);
          assertTrue(blas.allFinite(v, i), blas.name() + ": outside the first n values");
          v.put(i, keep);
        }
      }
    }
  }

  @Test
  void allFiniteIsNotFooledWhenTheSumOfHugeFiniteValuesOverflows() {
    FloatBuffer v = Buffers.allocate(4);
    for (int i = 0; i < 4; i++) v.put(i, (i % 2 == 0 ? 1 : -1) * Float.MAX_VALUE);
    for (Blas blas : List.of(JAVA, NATIVE)) {
      assertEquals(Float.POSITIVE_INFINITY, blas.asum(4, v), blas.name() + ": the sum overflows");
      assertTrue(blas.allFinite(v, 4), blas.name() + ": yet every value is finite");
    }
  }
}
