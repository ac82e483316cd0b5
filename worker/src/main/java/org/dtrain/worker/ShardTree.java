package org.dtrain.worker;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Parameters;

/**
 * The fixed binary reduction tree over shard ids 0..S-1 (DESIGN.md), filled in as subtree sums
 * arrive, in any order.
 *
 * <p>Node (first, level) is the aligned subtree of shards [first, min(first + 2^level, S)), with
 * first a multiple of 2^level; its sum is left + right of its two children, and a node whose right
 * child lies past S equals its left child. A node's sum lives in {@code buffer(first)}. When a node is
 * complete and its sibling is too, they are added at once (left += right) and the parent is complete;
 * so the same additions happen in the same order whatever the arrival order, and the root's bits
 * depend on S and the leaves only. Workers fill the nodes they host and send the tops; the
 * coordinator fills the tops it receives and reads the root. Statistics are added the same way.
 */
public final class ShardTree {
  private final ModelSpec spec;
  private final int shards;
  private final int rootLevel;
  private final Parameters[] buffers; // (S) lazily made; buffers[first] holds node (first, level[first])
  private final BatchStats[] stats;   // (S)
  private final int[] level;          // (S) level of the complete node starting at first, or -1
  private final boolean[] covered;    // (S) shard lies in some complete node
  private final boolean deferLast;    // leave the root's addition to the reader (rootHalves)
  private int coveredCount;
  private int pendingRight = -1; // with deferLast: the root's right half, not added yet, or -1

  public ShardTree(ModelSpec spec, int shards) {
    this(spec, shards, false);
  }

  /**
   * @param deferLastAddition whether the root's own addition (left + right half) is left to whoever
   *     reads the sum: {@link #rootHalves} gives the two halves (the coordinator's optimizer adds
   *     them in its pass over the weights); every other reader gets the added sum as usual
   */
  public ShardTree(ModelSpec spec, int shards, boolean deferLastAddition) {
    if (shards <= 0) throw new IllegalArgumentException("shards must be positive, found " + shards);
    this.deferLast = deferLastAddition;
    this.spec = spec;
    this.shards = shards;
    this.rootLevel = levelsFor(shards);
    this.buffers = new Parameters[shards];
    this.stats = new BatchStats[shards];
    this.level = new int[shards];
    this.covered = new boolean[shards];
    reset();
  }

  /** The smallest L with 2^L ≥ S: the root's level. */
  public static int levelsFor(int shards) {
    return shards == 1 ? 0 : 32 - Integer.numberOfLeadingZeros(shards - 1);
  }

  public int shards() {
    return shards;
  }

  /** Forgets every node; the buffers are kept for the next step. */
  public void reset() {
    Arrays.fill(level, -1);
    Arrays.fill(covered, false);
    Arrays.fill(stats, null);
    coveredCount = 0;
    pendingRight = -1;
  }

  /** Where the sum of a node starting at {@code first} is written before {@link #complete}. */
  public Parameters buffer(int first) {
    if (buffers[first] == null) buffers[first] = Parameters.zeros(spec);
    return buffers[first];
  }

  /**
   * Makes {@code values} (a whole parameter buffer, direct and aligned as {@link Parameters#zeros})
   * the buffer of a node starting at {@code first}, instead of copying into it; returns the buffer it
   * replaces (made now if there was none), which the tree no longer uses.
   */
  public FloatBuffer adopt(int first, FloatBuffer values) {
    FloatBuffer old = buffer(first).values();
    buffers[first] = Parameters.wrap(spec, values);
    return old;
  }

  /** The first shard after node (first, level), clipped at S. */
  public int end(int first, int lvl) {
    return (int) Math.min((long) first + (1L << lvl), shards);
  }

  /** Whether (first, level) names a node of this tree. */
  public boolean isNode(int first, int lvl) {
    return lvl >= 0 && lvl <= rootLevel && first >= 0 && first < shards
        && (first & ((1 << lvl) - 1)) == 0;
  }

  /** Whether the shard lies in a complete node. */
  public boolean isCovered(int shard) {
    return covered[shard];
  }

  /** Whether no shard of node (first, level) is covered yet. */
  public boolean isFree(int first, int lvl) {
    for (int s = first, e = end(first, lvl); s < e; s++) {
      if (covered[s]) return false;
    }
    return true;
  }

  /**
   * Marks node (first, level) complete: its sum is in {@code buffer(first)}. Then adds up the tree as
   * far as complete siblings allow.
   *
   * @throws IllegalArgumentException if it is no node or overlaps a complete node
   */
  public void complete(int first, int lvl, BatchStats s) {
    if (!isNode(first, lvl)) {
      throw new IllegalArgumentException("(" + first + ", " + lvl + ") is no node of the tree over "
          + shards + " shards");
    }
    if (!isFree(first, lvl)) {
      throw new IllegalArgumentException("shards [" + first + ", " + end(first, lvl)
          + ") are already (partly) in");
    }
    for (int i = first, e = end(first, lvl); i < e; i++) covered[i] = true;
    coveredCount += end(first, lvl) - first;
    buffer(first);
    stats[first] = s;
    level[first] = lvl;
    climb(first, lvl);
  }

  private void climb(int first, int lvl) {
    while (lvl < rootLevel) {
      int size = 1 << lvl;
      boolean isLeft = (first & (2 * size - 1)) == 0;
      int left = isLeft ? first : first - size;
      int right = left + size;
      if (right >= shards) { // no right child: the parent equals the left child
        level[left] = lvl + 1;
        first = left;
        lvl++;
        continue;
      }
      if (level[left] != lvl || level[right] != lvl) return; // sibling not in yet
      if (deferLast && lvl + 1 == rootLevel) {
        pendingRight = right; // the root's addition: rootHalves, or settle
      } else {
        buffers[left].add(buffers[right]);
      }
      stats[left] = stats[left].plus(stats[right]);
      level[right] = -1;
      level[left] = lvl + 1;
      first = left;
      lvl++;
    }
  }

  /** Every shard is in: the root's sum is ready. */
  public boolean isComplete() {
    return coveredCount == shards && level[0] == rootLevel;
  }

  public Parameters root() {
    if (!isComplete()) throw new IllegalStateException("the tree is not complete");
    settle();
    return buffers[0];
  }

  /**
   * The root's sum as its two halves, left + right (right null when the tree needed no last
   * addition): what the reader adds itself, element by element in that order, for the root's bits.
   * Leaves the halves as they are; {@link #root} adds them.
   */
  public Halves rootHalves() {
    if (!isComplete()) throw new IllegalStateException("the tree is not complete");
    return new Halves(buffers[0], pendingRight < 0 ? null : buffers[pendingRight]);
  }

  /** The root's sum, left + right, or left alone when right is null. */
  public record Halves(Parameters left, Parameters right) {}

  /** Makes a deferred root addition. */
  private void settle() {
    if (pendingRight >= 0) {
      buffers[0].add(buffers[pendingRight]);
      pendingRight = -1;
    }
  }

  public BatchStats rootStats() {
    if (!isComplete()) throw new IllegalStateException("the tree is not complete");
    return stats[0];
  }

  /** The complete nodes that have not been added into a parent: what a worker sends. */
  public List<Node> tops() {
    if (isComplete()) settle();
    List<Node> out = new ArrayList<>();
    for (int f = 0; f < shards; f++) {
      if (level[f] >= 0) out.add(new Node(f, level[f], buffers[f], stats[f]));
    }
    return out;
  }

  /** A complete node: shards [first, first + 2^level) ∩ [0, S), its sum and statistics. */
  public record Node(int first, int level, Parameters sum, BatchStats stats) {}
}
