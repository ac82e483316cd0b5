package org.dtrain.protocol;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Values [offset, offset + length) of a flat array of {@code total} floats, held as
 * {@code values[from .. from + length)} (absolute indices; the buffer's position is never used).
 * The buffer is shared, never copied and never written by a reader: a chunk is a window on a
 * snapshot (in one JVM, every chunk of a step's weights points into the same array). The one
 * exception is a {@link #view}, which a data link copies out before its sender goes on.
 *
 * <p>Two chunks are equal when they are the same window of the same buffer (by identity, as with the
 * arrays chunks once held), not when their values are equal.
 */
public record FloatChunk(FloatBuffer values, int from, int length, int offset, int total) {
  /** At most this many floats per chunk: 192 KiB, well below Artery's default 256 KiB frame. */
  public static final int MAX_FLOATS = 48 * 1024;

  public FloatChunk {
    // as longs: from + length and offset + length may exceed Integer.MAX_VALUE
    if (from < 0 || length < 0 || (long) from + length > values.capacity()) {
      throw new IllegalArgumentException("chunk [" + from + ", " + ((long) from + length)
          + ") outside a buffer of " + values.capacity());
    }
    if (offset < 0 || total < 0 || (long) offset + length > total) {
      throw new IllegalArgumentException("chunk at offset " + offset + " of " + length
          + " floats does not fit in " + total);
    }
  }

  /** {@code array[from .. from + length)}, shared. */
  public FloatChunk(float[] array, int from, int length, int offset, int total) {
    this(FloatBuffer.wrap(array), from, length, offset, total);
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

  /**
   * The first {@code count} values of {@code src} without a copy, for a sender that writes them into
   * a data link's frames at once ({@code Link.send} copies before it returns): valid only until the
   * owner of {@code src} writes it again. Anything that keeps a message (a mailbox, Artery) needs
   * {@link #copyOf} instead.
   */
  public static FloatChunk view(FloatBuffer src, int count) {
    return new FloatChunk(src, 0, count, 0, count);
  }

  /** All of {@code values} as one chunk (shares the array). */
  public static FloatChunk whole(float[] values) {
    return new FloatChunk(values, 0, values.length, 0, values.length);
  }

  static List<FloatChunk> split(float[] values, int maxFloats) {
    return whole(values).pieces(maxFloats);
  }

  /** This chunk in consecutive pieces of at most maxFloats, sharing the buffer; itself if it fits. */
  public List<FloatChunk> pieces(int maxFloats) {
    if (length <= maxFloats) return List.of(this);
    List<FloatChunk> out = new ArrayList<>(length / maxFloats + 1);
    for (int o = 0; o < length; o += maxFloats) {
      out.add(new FloatChunk(values, from + o, Math.min(maxFloats, length - o), offset + o, total));
    }
    return out;
  }

  /** Whether this chunk is the whole flat array, from the start of its buffer. */
  public boolean isWhole() {
    return offset == 0 && from == 0 && length == total;
  }

  public float get(int i) {
    return values.get(from + i);
  }

  /** Copies the chunk's values into {@code dst} at their offset. */
  public void copyTo(float[] dst) {
    values.get(from, dst, offset, length);
  }

  /** Copies the chunk's values into {@code dst} at their offset (a bulk copy, not per float). */
  public void copyTo(FloatBuffer dst) {
    dst.put(offset, values, from, length);
  }

  /** Copies the chunk's values into {@code dst} from its position 0 on. */
  public void copyValuesTo(FloatBuffer dst) {
    dst.put(0, values, from, length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatChunk c && c.values == values && c.from == from && c.length == length
        && c.offset == offset && c.total == total;
  }

  @Override
  public int hashCode() {
    return ((System.identityHashCode(values) * 31 + from) * 31 + length) * 31 + offset;
  }

  @Override
  public String toString() {
    return "FloatChunk[" + offset + ".." + (offset + length) + " of " + total + "]";
  }
}
