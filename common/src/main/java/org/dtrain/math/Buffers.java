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
    if (n < 0) {
      throw new IllegalArgumentException("buffer size must be >= 0, found " + n);
    }
    ByteBuffer bytes = ByteBuffer.allocateDirect(n * 4 + ALIGN_BYTES);
    // Not alignedSlice: it also rounds the limit down to an aligned address, leaving fewer than n * 4
    // bytes whenever n * 4 is not a multiple of 64 (and the base address is not aligned).
    int misalignment = bytes.alignmentOffset(0, ALIGN_BYTES);
    int start = misalignment == 0 ? 0 : ALIGN_BYTES - misalignment;
    return bytes.slice(start, n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
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
