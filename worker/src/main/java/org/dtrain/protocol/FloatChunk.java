package org.dtrain.protocol;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Values [offset, offset + length) of a flat array of {@code total} floats, held as
 * {@code array[from .. from + length)}. The array is shared, never copied and never written: a chunk is
 * a window on an immutable snapshot (in one JVM, every chunk of a step's weights points into the same
 * array).
 */
public record FloatChunk(float[] array, int from, int length, int offset, int total) {
  /** At most this many floats per chunk: 192 KiB, well below Artery's default 256 KiB frame. */
  public static final int MAX_FLOATS = 48 * 1024;

  public FloatChunk {
    // as longs: from + length and offset + length may exceed Integer.MAX_VALUE
    if (from < 0 || length < 0 || (long) from + length > array.length) {
      throw new IllegalArgumentException("chunk [" + from + ", " + ((long) from + length)
          + ") outside an array of " + array.length);
    }
    if (offset < 0 || total < 0 || (long) offset + length > total) {
      throw new IllegalArgumentException("chunk at offset " + offset + " of " + length
          + " floats does not fit in " + total);
    }
  }

  /** The whole of {@code values}, cut into chunks of at most {@link #MAX_FLOATS}; one chunk if empty. */
  public static List<FloatChunk> split(float[] values) {
    return split(values, MAX_FLOATS);
  }

  /**
   * The first {@code count} values of {@code src} copied into a new array: a snapshot that later
   * writes to {@code src} cannot touch. One chunk; a transport cuts it ({@link Chunking}).
   */
  public static FloatChunk copyOf(FloatBuffer src, int count) {
    float[] a = new float[count];
    src.get(0, a, 0, count);
    return whole(a);
  }

  /** All of {@code values} as one chunk (shares the array). */
  public static FloatChunk whole(float[] values) {
    return new FloatChunk(values, 0, values.length, 0, values.length);
  }

  static List<FloatChunk> split(float[] values, int maxFloats) {
    return whole(values).pieces(maxFloats);
  }

  /** This chunk in consecutive pieces of at most maxFloats, sharing the array; itself if it fits. */
  public List<FloatChunk> pieces(int maxFloats) {
    if (length <= maxFloats) return List.of(this);
    List<FloatChunk> out = new ArrayList<>(length / maxFloats + 1);
    for (int o = 0; o < length; o += maxFloats) {
      out.add(new FloatChunk(array, from + o, Math.min(maxFloats, length - o), offset + o, total));
    }
    return out;
  }

  public float get(int i) {
    return array[from + i];
  }

  /** Copies the chunk's values into {@code dst} at their offset. */
  public void copyTo(float[] dst) {
    System.arraycopy(array, from, dst, offset, length);
  }

  @Override
  public String toString() {
    return "FloatChunk[" + offset + ".." + (offset + length) + " of " + total + "]";
  }
}
