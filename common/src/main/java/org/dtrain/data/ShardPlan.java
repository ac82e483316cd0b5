package org.dtrain.data;

/**
 * The training rows cut into S contiguous shards: shard s holds rows [start(s), start(s + 1)) with
 * start(s) = floor(s N / S). The shard is the unit of data, sampling and gradient (DESIGN.md).
 */
public record ShardPlan(int rows, int shards) {
  public ShardPlan {
    if (shards <= 0) {
      throw new IllegalArgumentException("--shards must be positive, found " + shards);
    }
    if (shards > rows) {
      throw new IllegalArgumentException("--shards " + shards + " is more than the " + rows
          + " training rows: every shard needs at least one row");
    }
  }

  public int start(int shard) {
    return (int) ((long) shard * rows / shards);
  }

  public int size(int shard) {
    return start(shard + 1) - start(shard);
  }
}
