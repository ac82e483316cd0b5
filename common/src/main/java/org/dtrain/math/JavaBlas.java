package org.dtrain.math;

import java.nio.FloatBuffer;

/**
 * Plain-Java GEMM, the fallback when OpenBLAS cannot load, and the reference the native path is tested
 * against. Deterministic: each C element sums over k in increasing order.
 */
public final class JavaBlas extends Blas {

  @Override
  public String name() {
    return "java";
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k,
      float alpha, FloatBuffer a, int lda, FloatBuffer b, int ldb,
      float beta, FloatBuffer c, int ldc) {
    for (int i = 0; i < m; i++) {
      int crow = i * ldc;
      for (int j = 0; j < n; j++) {
        float s = 0f;
        for (int p = 0; p < k; p++) {
          float av = transA ? a.get(p * lda + i) : a.get(i * lda + p);
          float bv = transB ? b.get(j * ldb + p) : b.get(p * ldb + j);
          s += av * bv;
        }
        float prior = beta == 0f ? 0f : beta * c.get(crow + j);
        c.put(crow + j, alpha * s + prior);
      }
    }
  }

  @Override
  public float asum(int n, FloatBuffer x) {
    float s = 0f;
    for (int i = 0; i < n; i++) s += Math.abs(x.get(i));
    return s;
  }
}
