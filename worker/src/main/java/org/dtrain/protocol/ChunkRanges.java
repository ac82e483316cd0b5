package org.dtrain.protocol;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which parts of a flat array have arrived, chunk by chunk. A chunk that meets one already received
 * (a duplicate, or a hostile overlap) is refused, so "every value received once" is exactly
 * {@code received() == total}.
 */
public final class ChunkRanges {
  private final TreeMap<Integer, Integer> chunks = new TreeMap<>(); // offset -> length
  private long received;

  /** @return false, and records nothing, when [offset, offset + length) meets a received chunk */
  public boolean add(int offset, int length) {
    Map.Entry<Integer, Integer> below = chunks.floorEntry(offset);
    if (below != null && (long) below.getKey() + below.getValue() > offset) return false;
    Map.Entry<Integer, Integer> above = chunks.ceilingEntry(offset);
    if (above != null && above.getKey() < (long) offset + Math.max(1, length)) return false;
    chunks.put(offset, length);
    received += length;
    return true;
  }

  /** Whether a chunk starting at {@code offset} has been received (an exact repeat). */
  public boolean contains(int offset) {
    return chunks.containsKey(offset);
  }

  /** Values received so far. */
  public long received() {
    return received;
  }

  public void clear() {
    chunks.clear();
    received = 0;
  }
}
