package org.dtrain.bench;

import org.dtrain.math.Blas;

/** Checks shared by the benchmarks' setups. */
final class BenchSupport {
  private BenchSupport() {}

  /**
   * Fails the trial unless the native BLAS is in use with one thread: a Java-BLAS or multi-threaded
   * number would not be the number the benchmark claims to be.
   */
  static void requireSingleThreadBlas() {
    String name = Blas.get().name();
    if (!name.startsWith("openblas") || !name.contains("(1 thread)")) {
      throw new IllegalStateException("expected single-threaded OpenBLAS, found " + name);
    }
    String env = System.getenv("OPENBLAS_NUM_THREADS");
    if (!"1".equals(env)) {
      System.err.println("note: OPENBLAS_NUM_THREADS=" + env + " (blas_set_num_threads(1) applies)");
    }
  }
}
