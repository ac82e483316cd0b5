package org.dtrain.coordinator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workers' tree of {@code --reduction tree}: who sends its partials to whom. Built over the
 * workers in order, with at most {@code fanIn} children per worker; every subtree is a contiguous run
 * of the order, so with the contiguous shard blocks of {@link ShardAssignment} it holds a contiguous
 * run of shard ids, whose partials add up to few nodes of the shard tree (the root holds all of them:
 * one node, the whole sum).
 *
 * <p>Shape: the run [lo, hi) of the order has root {@code lo}; the rest [lo + 1, hi) is cut into
 * min(fanIn, hi - lo - 1) runs of near-equal length, in order, whose first workers are the root's
 * children. Depth about log_fanIn(K). For K = 7, fan-in 2:
 * <pre>
 *        w0
 *       /  \
 *     w1    w4
 *    / \    / \
 *   w2  w3 w5  w6
 * </pre>
 * Which worker adds which node changes no bit: the additions are those of the fixed shard tree.
 */
public final class ReductionTree {
  private final List<String> order;
  private final int fanIn;
  private final Map<String, String> parent = new HashMap<>();
  private final Map<String, List<String>> children = new LinkedHashMap<>();
  private final Map<String, List<String>> below = new HashMap<>(); // descendants, in order

  private ReductionTree(List<String> order, int fanIn) {
    this.order = List.copyOf(order);
    this.fanIn = fanIn;
    for (String w : this.order) {
      if (children.put(w, new ArrayList<>()) != null) {
        throw new IllegalArgumentException("worker " + w + " is listed twice");
      }
    }
    build(0, this.order.size());
  }

  /**
   * @param workers the workers, in order (at least one)
   * @param fanIn the most children of one worker (2 or more)
   */
  public static ReductionTree of(List<String> workers, int fanIn) {
    if (workers.isEmpty()) throw new IllegalArgumentException("no workers to build a tree of");
    if (fanIn < 2) throw new IllegalArgumentException("--fan-in: expected 2 or more, found " + fanIn);
    return new ReductionTree(workers, fanIn);
  }

  /** Builds the subtree of the run [lo, hi) rooted at order[lo]. */
  private void build(int lo, int hi) {
    String root = order.get(lo);
    below.put(root, List.copyOf(order.subList(lo + 1, hi)));
    int rest = hi - lo - 1;
    int groups = Math.min(fanIn, rest);
    for (int g = 0; g < groups; g++) {
      int from = lo + 1 + (int) ((long) g * rest / groups);
      int to = lo + 1 + (int) ((long) (g + 1) * rest / groups);
      String child = order.get(from);
      parent.put(child, root);
      children.get(root).add(child);
      build(from, to);
    }
  }

  /** The workers it was built over, in order. */
  public List<String> order() {
    return order;
  }

  /** The worker that sends to the coordinator. */
  public String root() {
    return order.get(0);
  }

  /** The worker {@code w} sends its partials to; null for the root (it sends to the coordinator). */
  public String parent(String w) {
    check(w);
    return parent.get(w);
  }

  /** The workers that send their partials to {@code w}, in order. */
  public List<String> children(String w) {
    check(w);
    return List.copyOf(children.get(w));
  }

  /** Every worker below {@code w}, in order: whose shards reach the coordinator through it. */
  public List<String> descendants(String w) {
    check(w);
    return below.get(w);
  }

  /** The number of links from the root to the deepest worker. */
  public int depth() {
    int d = 0;
    for (String w : order) {
      int n = 0;
      for (String p = parent.get(w); p != null; p = parent.get(p)) n++;
      d = Math.max(d, n);
    }
    return d;
  }

  public List<String> workers() {
    return order;
  }

  public int fanIn() {
    return fanIn;
  }

  private void check(String w) {
    if (!children.containsKey(w)) throw new IllegalArgumentException("no worker " + w + " in the tree");
  }
}
