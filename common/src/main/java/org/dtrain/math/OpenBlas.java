package org.dtrain.math;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS through the JavaCPP preset. Direct buffers are passed by address: no copy per call.
 *
 * <p>OpenBLAS runs with one thread: one shard's product must give the same bits every time, and the
 * cluster gets its parallelism from computing shards side by side (DESIGN.md).
 */
final class OpenBlas extends Blas {
  private final String name;

  OpenBlas() {
    openblas_nolapack.blas_set_num_threads(1);
    this.name = "openblas (" + openblas_nolapack.blas_get_num_threads() + " thread)";
    // Touch the kernel once so a broken native library fails here, not mid-training.
    FloatBuffer one = Buffers.of(1f);
    FloatBuffer out = Buffers.allocate(1);
    gemm(false, false, 1, 1, 1, 1f, one, 1, one, 1, 0f, out, 1);
    if (out.get(0) != 1f) {
      throw new IllegalStateException("OpenBLAS self-test failed: 1*1 gave " + out.get(0));
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k,
      float alpha, FloatBuffer a, int lda, FloatBuffer b, int ldb,
      float beta, FloatBuffer c, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    openblas_nolapack.cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
        transB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }

  @Override
  public float asum(int n, FloatBuffer x) {
    return n <= 0 ? 0f : openblas_nolapack.cblas_sasum(n, x, 1);
  }
}
