package org.dtrain.data;

import java.util.SplittableRandom;
import org.dtrain.nn.Seeds;

/**
 * Which rows of a shard each step uses.
 *
 * <p>An epoch is T = ceil(N / B) steps (N training rows, B the global batch size). In epoch e a shard
 * of n rows shuffles its rows with the stream (seed, SAMPLE, shard, e) and gives step j of the epoch
 * the rows perm[floor(j n / T), floor((j + 1) n / T)). Every row is used once per epoch, each shard
 * contributes in proportion to its size, and the batch depends on (seed, shard, epoch, j) only, never
 * on which worker computes it. Full-batch descent (B = N) is T = 1 with every row each step, unshuffled.
 */
public final class EpochSampler {
  private final long seed;
  private final int shard;
  private final int shardRows;
  private final int stepsPerEpoch;
  private final boolean fullBatch;
  private final int[] perm;  // (shardRows) shard-local row ids of the current epoch
  private long permEpoch = -1;

  public EpochSampler(long seed, int shard, int shardRows, int stepsPerEpoch, boolean fullBatch) {
    this.seed = seed;
    this.shard = shard;
    this.shardRows = shardRows;
    this.stepsPerEpoch = stepsPerEpoch;
    this.fullBatch = fullBatch;
    this.perm = new int[shardRows];
    for (int i = 0; i < shardRows; i++) perm[i] = i;
  }

  /** T = ceil(rows / batch), at least 1. */
  public static int stepsPerEpoch(int rows, int batch) {
    return Math.max(1, (rows + batch - 1) / batch);
  }

  /** The most rows a shard of {@code shardRows} gives one step. */
  public static int maxRowsPerStep(int shardRows, int stepsPerEpoch) {
    return (shardRows + stepsPerEpoch - 1) / stepsPerEpoch;
  }

  /** Shard-local row ids of the given step, in {@code rows()[from .. from + count)}. */
  public Slice rowsFor(long epoch, int stepInEpoch) {
    if (stepInEpoch < 0 || stepInEpoch >= stepsPerEpoch) {
      throw new IllegalArgumentException("step " + stepInEpoch + " outside an epoch of "
          + stepsPerEpoch + " steps");
    }
    if (!fullBatch && permEpoch != epoch) {
      shuffle(epoch);
    }
    int from = (int) ((long) stepInEpoch * shardRows / stepsPerEpoch);
    int to = (int) ((long) (stepInEpoch + 1) * shardRows / stepsPerEpoch);
    return new Slice(perm, from, to - from);
  }

  /** Fisher-Yates from the identity, so an epoch's order does not depend on the previous one. */
  private void shuffle(long epoch) {
    SplittableRandom rng = Seeds.stream(seed, Seeds.SAMPLE, shard, epoch);
    for (int i = 0; i < shardRows; i++) perm[i] = i;
    for (int i = shardRows - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    permEpoch = epoch;
  }

  /** rows[from .. from + count) are the step's rows; valid until the next call. */
  public record Slice(int[] rows, int from, int count) {}
}
