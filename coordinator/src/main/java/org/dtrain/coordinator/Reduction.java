package org.dtrain.coordinator;

/**
 * How the workers' partials reach the coordinator each step ({@code --reduction}, {@code --fan-in}).
 * Either way the partials are added in the one fixed tree over shard ids, so the weights are the same
 * bits; only who adds which node, and how many bytes the coordinator receives, differ.
 *
 * <ul>
 *   <li>{@link Mode#STAR}: every worker sends the aligned subtrees it hosts to the coordinator, which
 *       completes the tree.
 *   <li>{@link Mode#TREE}: the workers form a tree of fan-in {@code fanIn} ({@link ReductionTree});
 *       each adds its children's partials to its own and sends what it holds to its parent, the root
 *       to the coordinator, which completes whatever remains.
 * </ul>
 *
 * @param fanIn in tree mode, at most this many children send to one worker (2 or more)
 */
public record Reduction(Mode mode, int fanIn) {
  /** Star or tree. */
  public enum Mode { STAR, TREE }

  public static final int DEFAULT_FAN_IN = 2;

  public Reduction {
    if (mode == null) throw new IllegalArgumentException("--reduction: expected star or tree");
    if (fanIn < 2) {
      throw new IllegalArgumentException("--fan-in: expected 2 or more, found " + fanIn);
    }
  }

  /** Every worker sends to the coordinator (the default). */
  public static Reduction star() {
    return new Reduction(Mode.STAR, DEFAULT_FAN_IN);
  }

  /** The workers add partials among themselves, at most {@code fanIn} children per worker. */
  public static Reduction tree(int fanIn) {
    return new Reduction(Mode.TREE, fanIn);
  }

  public boolean isTree() {
    return mode == Mode.TREE;
  }

  @Override
  public String toString() {
    return isTree() ? "tree (fan-in " + fanIn + ")" : "star";
  }
}
