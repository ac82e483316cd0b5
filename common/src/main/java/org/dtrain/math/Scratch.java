package org.dtrain.math;

/**
 * Per-thread heap scratch for element-wise kernels over direct buffers.
 *
 * <p>C2 (JDK 17) does not vectorise loops that read and write a direct {@code FloatBuffer} element by
 * element; it does vectorise the same loop over {@code float[]}. So the kernels copy a chunk in with one
 * bulk {@code get}, compute on the arrays and copy it back with one bulk {@code put}. Each element still
 * gets the same IEEE operations in the same order (Java never fuses a*b+c on its own), so the results
 * are the same bits as the plain per-element loop.
 *
 * <p>The arrays belong to the calling thread; a kernel must not call another kernel that uses them
 * while it holds them.
 */
public final class Scratch {
  /** Floats per chunk: 4 KB per array, so the five arrays stay in L1 together. */
  public static final int CHUNK = 1024;

  private static final ThreadLocal<float[][]> ARRAYS =
      ThreadLocal.withInitial(() -> new float[5][CHUNK]);
  private static final ThreadLocal<int[][]> INTS = ThreadLocal.withInitial(() -> new int[2][CHUNK]);

  private Scratch() {}

  /** Five arrays of {@link #CHUNK} floats, private to the calling thread; contents are garbage. */
  public static float[][] arrays() {
    return ARRAYS.get();
  }

  /** Two int arrays of {@link #CHUNK}, for kernels on a float's bits; contents are garbage. */
  public static int[][] ints() {
    return INTS.get();
  }
}
