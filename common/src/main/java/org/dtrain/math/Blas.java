package org.dtrain.math;

import java.nio.FloatBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small BLAS facade: the one matrix product the network needs, row-major.
 *
 * <p>{@code C(m, n) = alpha * op(A)(m, k) * op(B)(k, n) + beta * C}, where {@code op(X)} is X or Xᵀ.
 * Every buffer is read from position 0. Implementations must be deterministic: the same inputs give the
 * same bits on every call (single-threaded, fixed summation order), which the cluster's bitwise
 * reproducibility rests on (DESIGN.md, "Deterministic kernels").
 */
public abstract class Blas {
  private static final Logger LOG = LoggerFactory.getLogger(Blas.class);
  private static volatile Blas instance;

  /** The native OpenBLAS path when it loads, otherwise the plain-Java path (with a one-line warning). */
  public static Blas get() {
    Blas b = instance;
    if (b == null) {
      synchronized (Blas.class) {
        b = instance;
        if (b == null) {
          b = choose();
          instance = b;
        }
      }
    }
    return b;
  }

  private static Blas choose() {
    if (Boolean.getBoolean("dtrain.blas.java")) {
      return new JavaBlas();
    }
    try {
      return new OpenBlas();
    } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, ...
      LOG.warn("OpenBLAS natives did not load ({}); using the plain-Java BLAS, which is much slower",
          e.toString().replace('\n', ' '));
      return new JavaBlas();
    }
  }

  /** A short name for logs and benchmark reports, e.g. "openblas 0.3.31 (1 thread)" or "java". */
  public abstract String name();

  /**
   * Row-major {@code C = alpha op(A) op(B) + beta C}.
   *
   * @param lda row stride of A as stored (cols of A, or of Aᵀ's storage when transA)
   */
  public abstract void gemm(boolean transA, boolean transB, int m, int n, int k,
      float alpha, FloatBuffer a, int lda, FloatBuffer b, int ldb,
      float beta, FloatBuffer c, int ldc);

  /**
   * Σ |x_i| over the first n values: NaN when one of them is NaN, infinite when one is infinite
   * (or when the sum overflows). The summation order is the implementation's, so it is for checks,
   * never for results whose bits matter.
   */
  public abstract float asum(int n, FloatBuffer x);

  /**
   * Whether every one of the first n values is finite. The sum of magnitudes answers at once when it
   * is finite (a NaN or an infinity would make it NaN or infinite); only when it is not, an exact
   * scan decides (the sum of huge but finite values can overflow).
   */
  public final boolean allFinite(FloatBuffer x, int n) {
    return Float.isFinite(asum(n, x)) || !Buffers.hasNonFinite(x, n);
  }
}
