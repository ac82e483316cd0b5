package org.dtrain.worker;

import java.nio.FloatBuffer;

/**
 * Takes a received tensor's buffer over instead of copying the values out of it: a data link's
 * ({@code TensorBuffers.exchange}). The receiver keeps a whole tensor's buffer as its own (a
 * worker's weights, a node of the coordinator's shard tree) and hands over the buffer it replaces,
 * which the link lends again for a later frame. A sender may hand a tensor's buffer over the same
 * way ({@link #handOver}).
 */
@FunctionalInterface
public interface BufferExchange {
  /**
   * If {@code received} came from the exchanger, it is the caller's from now on and {@code replaced}
   * (which the caller no longer reads or writes) takes its place; false: nothing changed, copy it.
   */
  boolean exchange(FloatBuffer received, FloatBuffer replaced);

  /**
   * The caller is about to send a tensor held in {@code sent} through the exchanger and will not
   * write that buffer again; returns a buffer of the same size (direct, aligned, contents undefined)
   * to use instead, so that the exchanger may send {@code sent} without a copy; null: keep
   * {@code sent}, the exchanger copies it.
   */
  default FloatBuffer handOver(FloatBuffer sent) {
    return null;
  }
}
