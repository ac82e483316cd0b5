package org.dtrain.protocol;

/**
 * New float arrays, made ahead of time. A sender that needs a new array every step (weights, a
 * gradient partial, a decoded tensor: immutable once sent, never reused) makes the next one while it
 * waits, so the step's critical path only copies into it. Writing 940 KB into memory the cache has
 * not seen, which is what zeroing a new array does, takes about 100 µs on the benchmark machine
 * (docs/PERFORMANCE.md), as long as the copy that follows.
 *
 * <p>Every array is handed out once. Not thread-safe: one owner.
 */
public final class FreshArrays {
  private float[] spare;

  /** A new array of n floats: the one made ahead when it has that length, otherwise one made now. */
  public float[] take(int n) {
    float[] a = spare;
    spare = null;
    return a != null && a.length == n ? a : new float[n];
  }

  /** Makes the next array of n floats now, unless one of that length is ready. */
  public void prepare(int n) {
    if (spare == null || spare.length != n) spare = new float[n];
  }
}
