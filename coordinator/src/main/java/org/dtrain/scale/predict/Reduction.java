package org.dtrain.scale.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dtrain.coordinator.ReductionTree;

/**
 * How the workers' partials reach the coordinator ({@code --reduction star|tree --fan-in F}). The
 * weights always go out from the coordinator to every worker (a star); only the way back differs.
 *
 * <ul>
 *   <li>STAR: every worker sends its partials (its tops) to the coordinator: k or more per step.
 *   <li>TREE: the shape {@code dtrain train --reduction tree} builds, {@link ReductionTree} over the
 *       workers w0..w{k-1} in order, taken from it (one definition of the shape). The root is
 *       worker 0, and it alone sends to the coordinator: one partial, the whole sum. The run of
 *       workers [lo, hi) has root lo; the rest [lo + 1, hi) is cut into min(F, hi - lo - 1)
 *       contiguous runs of near-equal length whose first workers are lo's children, and so on
 *       down, so every worker has at most F children. A worker adds its children's partials into
 *       its own copy of the fixed shard tree, then forwards the nodes it holds (its tops) to its
 *       parent. A subtree is a contiguous run of workers and so holds a contiguous run of shard ids
 *       ({@code ShardAssignment.evenly}), whose partials add up to a few aligned nodes of the shard
 *       tree (at most about 2 log2 S; the root's run holds every shard: one node). The depth (hops
 *       from the deepest worker to the coordinator) is 1 + the height of the workers' tree, about
 *       1 + log_F k.
 * </ul>
 *
 * @param fanIn F for TREE (at least 2); 0 for STAR
 */
public record Reduction(Kind kind, int fanIn) {
  /** See the class comment. */
  public enum Kind { STAR, TREE }

  /** The parent of a worker that sends straight to the coordinator. */
  public static final int COORDINATOR = -1;

  /** Parents of tree(F) over k workers, keyed by (F, k); the arrays are never handed out. */
  private static final Map<Long, int[]> TREES = new ConcurrentHashMap<>();
  private static final int MAX_CACHED_TREES = 256;

  public Reduction {
    if (kind == null) throw new IllegalArgumentException("expected a reduction kind, found null");
    if (kind == Kind.STAR && fanIn != 0) {
      throw new IllegalArgumentException("a star reduction has no fan-in, found " + fanIn);
    }
    if (kind == Kind.TREE && fanIn < 2) {
      throw new IllegalArgumentException("expected --fan-in of at least 2, found " + fanIn);
    }
  }

  public static Reduction star() {
    return new Reduction(Kind.STAR, 0);
  }

  public static Reduction tree(int fanIn) {
    return new Reduction(Kind.TREE, fanIn);
  }

  /**
   * Where worker {@code worker} of {@code workers} sends its partials: a worker index, or
   * {@link #COORDINATOR}. For TREE, what {@code ReductionTree.of(w0..w{k-1}, F).parent} says, with
   * the root (worker 0) sending to the coordinator.
   */
  public int parentOf(int worker, int workers) {
    if (worker < 0 || worker >= workers) {
      throw new IllegalArgumentException("worker " + worker + " of " + workers);
    }
    if (kind == Kind.STAR) return COORDINATOR;
    return treeParents(workers)[worker];
  }

  /**
   * {@link #parentOf} for every worker of {@code workers} at once (a new array): a parent's index
   * is always below its children's.
   */
  public int[] parents(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("expected at least one worker, found " + workers);
    }
    if (kind == Kind.STAR) {
      int[] out = new int[workers];
      Arrays.fill(out, COORDINATOR);
      return out;
    }
    return treeParents(workers).clone();
  }

  /** The cached parents of this tree over {@code workers}; callers must not write into it. */
  private int[] treeParents(int workers) {
    long key = ((long) fanIn << 32) | workers;
    int[] cached = TREES.get(key);
    if (cached != null) return cached;
    int[] built = build(workers, fanIn);
    if (TREES.size() >= MAX_CACHED_TREES) TREES.clear(); // a sweep uses a handful of sizes
    TREES.putIfAbsent(key, built);
    return built;
  }

  private static int[] build(int workers, int fanIn) {
    List<String> ids = new ArrayList<>(workers);
    Map<String, Integer> index = new HashMap<>();
    for (int w = 0; w < workers; w++) {
      String id = WireSizes.workerId(w);
      ids.add(id);
      index.put(id, w);
    }
    ReductionTree tree = ReductionTree.of(ids, fanIn);
    int[] out = new int[workers];
    for (int w = 0; w < workers; w++) {
      String up = tree.parent(ids.get(w));
      out[w] = up == null ? COORDINATOR : index.get(up);
    }
    return out;
  }

  /**
   * Hops from the deepest of {@code workers} workers to the coordinator: 1 for star; for tree,
   * 1 (the root to the coordinator) + the height of the workers' tree ({@code ReductionTree.depth}).
   */
  public int depth(int workers) {
    int[] up = parents(workers);
    int[] hops = new int[workers];
    int deepest = 0;
    for (int w = 0; w < workers; w++) { // parents come first
      hops[w] = up[w] == COORDINATOR ? 1 : hops[up[w]] + 1;
      deepest = Math.max(deepest, hops[w]);
    }
    return deepest;
  }

  /** For tables: "star" or "tree(F)". */
  public String label() {
    return kind == Kind.STAR ? "star" : "tree(" + fanIn + ")";
  }
}
