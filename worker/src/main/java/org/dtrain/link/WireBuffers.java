package org.dtrain.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.dtrain.protocol.FloatChunk;

/**
 * Memory that tensors are sent from as they are: a multi-node coordinator's weights live here (its
 * optimizer updates them in place), and the data links' frames carry this memory as their payload
 * ({@link Link#sendAll(List, List, WireBuffers)}), where they would otherwise copy the values into
 * a payload of their own first (940 KB per step for 784-256-128-10, on the coordinator's thread
 * between the last gradient and the first byte of the next weights).
 *
 * <p>The buffers are pooled direct memory (Netty's allocator), little-endian float32 as a frame's
 * payload is, and reference counted: the lender holds one reference until {@link #releaseAll}, each
 * frame carrying it one until written. So a buffer is used again only once nothing sends it any
 * more. Lend and release on one thread; the frames let go on any.
 */
public final class WireBuffers {
  private final ByteBufAllocator alloc;
  private final Map<FloatBuffer, ByteBuf> lent = new IdentityHashMap<>();

  public WireBuffers(ByteBufAllocator alloc) {
    this.alloc = alloc;
  }

  /** A buffer of {@code n} floats (contents undefined, index 0 on), the caller's until released. */
  public FloatBuffer lend(int n) {
    ByteBuf b = alloc.directBuffer(4 * n, 4 * n).writerIndex(4 * n);
    FloatBuffer f = b.nioBuffer(0, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    lent.put(f, b);
    return f;
  }

  /** Whether {@code f} was lent here and not released. */
  public boolean isLent(FloatBuffer f) {
    return lent.containsKey(f);
  }

  /**
   * The lender is done with every buffer lent here (it stops): their memory is used again once the
   * frames that carry them are written.
   */
  public void releaseAll() {
    lent.values().forEach(ByteBuf::release);
    lent.clear();
  }

  /**
   * The values of {@code t} as a frame's payload, holding a reference of its own (the frame's), when
   * t's buffer was lent here; else null.
   */
  ByteBuf payload(FloatChunk t) {
    ByteBuf b = lent.get(t.values());
    return b == null ? null : b.retainedSlice(4 * t.from(), 4 * t.length());
  }

  /** Buffers lent and not released (for tests). */
  int lentCount() {
    return lent.size();
  }
}
