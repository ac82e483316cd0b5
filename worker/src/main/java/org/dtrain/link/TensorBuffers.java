package org.dtrain.link;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.dtrain.math.Buffers;

/**
 * The buffers of one data link's big tensors, used again from step to step. The link decodes a
 * step's weights (at a worker) or a gradient (at the coordinator) into a buffer lent from here: a
 * direct, aligned one, as the math core's. The coordinator gives it back once it has added the
 * values in. A worker keeps its weights' buffer as its network's weights, without a copy, and gives
 * the buffer they replace in exchange ({@link #exchange}). Without the reuse, every step made about
 * 1 MB of garbage per tensor, and the young collections of the job's JVMs stalled its steps
 * (docs/PERFORMANCE.md, seventh and eighth sessions).
 *
 * <p>Only buffers made here are taken back (giving back any other buffer does nothing), so an actor
 * may give back every tensor of a kind it has finished with, whichever way it came. A lent buffer
 * that is never given back is simply not reused. Each buffer made here keeps its memory as bytes
 * ({@link #bytes}): the link's socket reads write a tensor's values straight into it, and its
 * writes send a buffer handed over by its sender ({@link #handOver}) straight out of it.
 * Thread-safe.
 */
public final class TensorBuffers {
  /**
   * Free buffers kept: a step's weights or gradients in flight, with room to spare, also when a
   * link's tensors come in more than one size.
   */
  static final int KEEP = 6;

  private final ArrayDeque<FloatBuffer> free = new ArrayDeque<>();
  private final Set<FloatBuffer> lent = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<FloatBuffer> away = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<FloatBuffer> sending = Collections.newSetFromMap(new IdentityHashMap<>());
  /**
   * The memory of every buffer made here that is lent, free, or exchanged away (a worker's weights:
   * the buffer comes back when the next weights replace it).
   */
  private final Map<FloatBuffer, ByteBuffer> memory = new IdentityHashMap<>();

  /** A direct buffer of {@code n} floats (its contents undefined), lent until given back. */
  public synchronized FloatBuffer lend(int n) {
    FloatBuffer b = null;
    for (Iterator<FloatBuffer> it = free.iterator(); b == null && it.hasNext(); ) {
      FloatBuffer f = it.next(); // the most recently kept first
      if (f.capacity() == n) {
        b = f;
        it.remove();
      }
    }
    if (b == null) {
      ByteBuffer bytes = Buffers.allocateBytes(n);
      b = bytes.asFloatBuffer();
      memory.put(b, bytes);
    }
    lent.add(b);
    return b;
  }

  /**
   * The memory of a buffer lent here, as native-order bytes (a new view, position 0: the caller may
   * move it), or null for any other buffer.
   */
  public synchronized ByteBuffer bytes(FloatBuffer lentHere) {
    ByteBuffer bytes = lent.contains(lentHere) ? memory.get(lentHere) : null;
    return bytes == null ? null : bytes.duplicate().order(bytes.order());
  }

  /** Takes back a buffer lent here, once nobody reads or writes it; ignores any other buffer. */
  public synchronized void giveBack(FloatBuffer b) {
    if (lent.remove(b)) keep(b);
  }

  /**
   * If {@code received} was lent here, it becomes the caller's for good, and {@code replaced} (a
   * buffer the caller no longer reads or writes) is taken in its place if it was made here (as
   * {@code received} was, one step before); returns false and changes nothing otherwise, and the
   * caller copies the values out of {@code received} instead.
   */
  public synchronized boolean exchange(FloatBuffer received, FloatBuffer replaced) {
    if (!lent.remove(received)) return false;
    away.add(received);
    if (replaced != received && away.remove(replaced)) keep(replaced);
    return true;
  }

  /**
   * The caller is about to send a tensor held in {@code sent}, a buffer it will not write again,
   * over this link, and gets a buffer of the same size to use instead (made here, its contents
   * undefined; the caller's, as an exchanged one). If {@code sent} was made here, the link writes
   * it as it is, with no copy ({@link #sendingBytes}), and takes it back once written
   * ({@link #written}); any other buffer is copied into its frame as usual.
   */
  public synchronized FloatBuffer handOver(FloatBuffer sent) {
    if (away.remove(sent) && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      sending.add(sent); // its memory is the frame's payload: little-endian float32
    }
    FloatBuffer instead = lend(sent.capacity());
    lent.remove(instead);
    away.add(instead);
    return instead;
  }

  /**
   * The memory of a buffer handed over for sending and not yet written, as native-order bytes (a
   * new view, position 0); null for any other buffer.
   */
  public synchronized ByteBuffer sendingBytes(FloatBuffer b) {
    ByteBuffer bytes = sending.contains(b) ? memory.get(b) : null;
    return bytes == null ? null : bytes.duplicate().order(bytes.order());
  }

  /** A buffer handed over for sending is written (or its link failed): it is lent again. */
  public synchronized void written(FloatBuffer b) {
    if (sending.remove(b)) keep(b);
  }

  /**
   * Keeps b for reuse; when KEEP are kept already, the one kept longest ago is dropped: buffers of
   * several sizes take turns, and one of a size no longer used ages out.
   */
  private void keep(FloatBuffer b) {
    free.push(b);
    if (free.size() > KEEP) memory.remove(free.removeLast());
  }

  synchronized int lentCount() {
    return lent.size();
  }

  synchronized int freeCount() {
    return free.size();
  }
}
