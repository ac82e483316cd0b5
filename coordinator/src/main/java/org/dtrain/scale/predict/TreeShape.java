package org.dtrain.scale.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtrain.worker.ShardTree;

/**
 * The fixed binary shard tree of {@link ShardTree} without its buffers: which nodes are complete,
 * and how many P-float additions completing a node sets off. Same rules as ShardTree (a node whose
 * right child lies past S equals its left child, no addition), so the model counts the additions
 * the real code makes. Not thread-safe.
 */
final class TreeShape {
  private final int shards;
  private final int rootLevel;
  private final int[] level; // (S) level of the complete, not yet added node starting at first, or -1
  private int covered;

  TreeShape(int shards) {
    this.shards = shards;
    this.rootLevel = ShardTree.levelsFor(shards);
    this.level = new int[shards];
    Arrays.fill(level, -1);
  }

  /**
   * Node (first, level) is in: climbs as far as complete siblings allow.
   *
   * @return the P-float additions made (left += right, one per pair of siblings that both exist)
   */
  int complete(int first, int lvl) {
    covered += (int) Math.min((long) first + (1L << lvl), shards) - first;
    level[first] = lvl;
    int adds = 0;
    while (lvl < rootLevel) {
      int size = 1 << lvl;
      boolean isLeft = (first & (2 * size - 1)) == 0;
      int left = isLeft ? first : first - size;
      int right = left + size;
      if (right >= shards) {
        level[left] = lvl + 1;
      } else {
        if (level[left] != lvl || level[right] != lvl) return adds;
        adds++;
        level[right] = -1;
        level[left] = lvl + 1;
      }
      first = left;
      lvl++;
    }
    return adds;
  }

  /** Every shard is in and added up to the root. */
  boolean isComplete() {
    return covered == shards && level[0] == rootLevel;
  }

  /** The complete nodes not added into a parent, as {first, level}: what a host forwards. */
  List<int[]> tops() {
    List<int[]> out = new ArrayList<>();
    for (int f = 0; f < shards; f++) {
      if (level[f] >= 0) out.add(new int[] {f, level[f]});
    }
    return out;
  }
}
