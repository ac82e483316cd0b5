package org.dtrain.nn;

import java.util.SplittableRandom;

/**
 * The one tree of random streams a job uses, all derived from the job seed. A stream is keyed by a
 * purpose and its indices only (for example (seed, SAMPLE, shard, epoch)), never by who computes it, so
 * that the same stream comes out on any worker, in any order.
 */
public final class Seeds {
  /** Stream purposes: fixed numbers so that renaming never changes a stream. */
  public static final long INIT = 1;
  public static final long SPLIT = 2;
  public static final long SAMPLE = 3;
  public static final long DATA = 4;
  public static final long GRADCHECK = 5;

  private Seeds() {}

  /** A fresh generator for (seed, purpose, keys...). */
  public static SplittableRandom stream(long seed, long purpose, long... keys) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L * (purpose + 1));
    for (long k : keys) {
      h = mix(h ^ (k + 0x632BE59BD9B4E019L));
    }
    return new SplittableRandom(h);
  }

  /** Stafford's variant 13 of the SplitMix64 finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
