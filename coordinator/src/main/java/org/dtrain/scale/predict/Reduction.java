package org.dtrain.scale.predict;

/**
 * How the workers' partials reach the coordinator ({@code --reduction star|tree --fan-in F}). The
 * weights always go out from the coordinator to every worker; only the way back differs.
 *
 * <ul>
 *   <li>STAR: every worker sends its partials to the coordinator.
 *   <li>TREE: the workers form a fan-in-F tree over worker order with the coordinator as its root.
 *       A node that heads the workers [lo, hi) is worker lo; it splits the rest, (lo, hi), into F
 *       contiguous groups of nearly equal size, whose first workers are its children, and so on
 *       down. The coordinator heads [0, K). A worker adds its children's partials into its own copy
 *       of the fixed shard tree, then forwards what is left (its tops) to its parent. Contiguous
 *       groups hold contiguous shard ids ({@code ShardAssignment.evenly}), so a group's partials
 *       add up to a few aligned subtrees, and the coordinator receives about F partials. The depth
 *       is about ceil(log_F K).
 * </ul>
 *
 * @param fanIn F for TREE (at least 2); 0 for STAR
 */
public record Reduction(Kind kind, int fanIn) {
  /** See the class comment. */
  public enum Kind { STAR, TREE }

  /** The parent of a worker that sends straight to the coordinator. */
  public static final int COORDINATOR = -1;

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
   * {@link #COORDINATOR}.
   */
  public int parentOf(int worker, int workers) {
    if (worker < 0 || worker >= workers) {
      throw new IllegalArgumentException("worker " + worker + " of " + workers);
    }
    if (kind == Kind.STAR) return COORDINATOR;
    int parent = COORDINATOR;
    int lo = 0;
    int hi = workers; // the group [lo, hi) whose head is parent; the coordinator heads [0, K)
    while (true) {
      int n = hi - lo;
      for (int g = 0; g < fanIn; g++) {
        int from = lo + (int) ((long) g * n / fanIn);
        int to = lo + (int) ((long) (g + 1) * n / fanIn);
        if (worker >= from && worker < to) {
          if (worker == from) return parent;
          parent = from;
          lo = from + 1;
          hi = to;
          break;
        }
      }
    }
  }

  /**
   * Hops from the deepest of {@code workers} workers to the coordinator: 1 for star, at most
   * max(1, ceil(log_F K)) for tree.
   */
  public int depth(int workers) {
    int deepest = 0;
    for (int w = 0; w < workers; w++) {
      int d = 1;
      for (int up = parentOf(w, workers); up != COORDINATOR; up = parentOf(up, workers)) d++;
      deepest = Math.max(deepest, d);
    }
    return deepest;
  }

  /** For tables: "star" or "tree(F)". */
  public String label() {
    return kind == Kind.STAR ? "star" : "tree(" + fanIn + ")";
  }
}
