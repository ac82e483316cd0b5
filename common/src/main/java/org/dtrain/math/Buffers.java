package org.dtrain.math;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Allocation and bulk helpers for the direct float buffers every matrix lives in. */
public final class Buffers {
  private static final int ALIGN_BYTES = 64; // one cache line; GEMM kernels load full lines

  private Buffers() {}

  /** A zeroed, 64-byte aligned, native-order direct buffer of {@code n} floats, position 0. */
  public static FloatBuffer allocate(int n) {
    return allocateBytes(n).asFloatBuffer();
  }

  /**
   * The memory of {@link #allocate}, as bytes: for a float view and an int view of the same values
   * ({@code asFloatBuffer()}, {@code asIntBuffer()}; kernels that test a float's bits read the ints).
   */
  public static ByteBuffer allocateBytes(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("buffer size must be >= 0, found " + n);
    }
    ByteBuffer bytes = ByteBuffer.allocateDirect(n * 4 + ALIGN_BYTES);
    int pad = (ALIGN_BYTES - bytes.alignmentOffset(0, ALIGN_BYTES)) % ALIGN_BYTES;
    bytes.position(pad).limit(pad + n * 4);
    return bytes.slice().order(ByteOrder.nativeOrder());
  }

  /** A direct buffer holding a copy of {@code values}. */
  public static FloatBuffer of(float... values) {
    FloatBuffer b = allocate(values.length);
    b.put(0, values);
    return b;
  }

  /** A view of {@code length} floats starting at {@code offset}; position 0, shares storage. */
  public static FloatBuffer view(FloatBuffer b, int offset, int length) {
    return b.slice(offset, length);
  }

  /** A fresh heap copy of the whole buffer. */
  public static float[] toArray(FloatBuffer b) {
    float[] out = new float[b.capacity()];
    b.get(0, out);
    return out;
  }

  public static void copy(FloatBuffer src, FloatBuffer dst, int n) {
    dst.put(0, src, 0, n);
  }

  public static void fill(FloatBuffer b, int n, float v) {
    for (int i = 0; i < n; i++) {
      b.put(i, v);
    }
  }

  /** True when any of the first {@code n} values is NaN or infinite. */
  public static boolean hasNonFinite(FloatBuffer b, int n) {
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(b.get(i))) {
        return true;
      }
    }
    return false;
  }
}
