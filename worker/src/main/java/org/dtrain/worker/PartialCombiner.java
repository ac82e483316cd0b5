package org.dtrain.worker;

import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.dtrain.protocol.ShardGradients;

/**
 * One worker's share of a step of tree reduction: it computes its own shards as leaves of the fixed
 * shard tree, takes its children's partials (chunk by chunk, in any order, before or after its own
 * shards are done), and once every expected shard is in, hands out the nodes it holds to be forwarded
 * to its parent. All additions happen in one {@link ShardTree} (node = left + right, as the coordinator
 * adds), so the root's bits are those of the star reduction whoever adds which node.
 *
 * <pre>
 *   own leaves ──complete──▶ ShardTree ◀──PartialAssembly── children's ShardGradients chunks
 *                               │ every shard of own ∪ awaited covered
 *                               ▼
 *                             tops() ──▶ parent worker, or the coordinator at the root
 * </pre>
 *
 * A child partial must come from a listed child and lie within the awaited shards (so it can never
 * touch an own leaf); one that does not is rejected. Duplicates are dropped ({@link PartialAssembly}).
 * Not thread-safe: one worker session owns it, for one step.
 */
public final class PartialCombiner {
  private final ShardTree tree;
  private final PartialAssembly inbox;
  private final BitSet own = new BitSet();
  private final BitSet awaited = new BitSet();
  private final Set<String> children;
  private final int expected;   // |own ∪ awaited|
  private boolean ownDone;
  private long computeNanos;    // the longest compute time in this subtree
  private long receiveNanos;    // the longest weight assembly time in this subtree
  private String lastProblem = "";

  /**
   * @param tree where the step is added; reset here (the worker computes its own leaves into it)
   * @param own the shards this worker computes
   * @param awaited the shards its children's subtrees deliver
   * @param children the workers it takes partials from
   * @throws IllegalArgumentException when a shard does not exist, or is both own and awaited
   */
  public PartialCombiner(ShardTree tree, int parameterCount, Collection<Integer> own,
      Collection<Integer> awaited, Collection<String> children) {
    this.tree = tree;
    this.inbox = new PartialAssembly(tree, parameterCount);
    this.children = Set.copyOf(children);
    for (int s : own) this.own.set(check(s, "own"));
    for (int s : awaited) {
      if (this.own.get(check(s, "awaited"))) {
        throw new IllegalArgumentException("shard " + s + " is both computed here and awaited from"
            + " a child");
      }
      this.awaited.set(s);
    }
    BitSet all = (BitSet) this.own.clone();
    all.or(this.awaited);
    this.expected = all.cardinality();
    inbox.reset();
  }

  private int check(int shard, String what) {
    if (shard < 0 || shard >= tree.shards()) {
      throw new IllegalArgumentException(what + " shard " + shard + " does not exist: the job has "
          + tree.shards() + " shards");
    }
    return shard;
  }

  /** The tree the worker computes its own shards into, as leaves; then {@link #ownComputed}. */
  public ShardTree tree() {
    return tree;
  }

  /** Every own shard is a complete leaf of {@link #tree()}. */
  public void ownComputed(long computeNanos, long receiveNanos) {
    for (int s = own.nextSetBit(0); s >= 0; s = own.nextSetBit(s + 1)) {
      if (!tree.isCovered(s)) throw new IllegalStateException("own shard " + s + " is not in");
    }
    ownDone = true;
    this.computeNanos = Math.max(this.computeNanos, computeNanos);
    this.receiveNanos = Math.max(this.receiveNanos, receiveNanos);
  }

  /** Takes one chunk of a child's partial; see {@link #lastProblem} for why one was rejected. */
  public PartialAssembly.Outcome accept(ShardGradients g) {
    if (!children.contains(g.workerId())) {
      return reject("a partial from worker " + g.workerId() + ", which is no child here (children: "
          + children + ")");
    }
    if (tree.isNode(g.first(), g.level())) {
      int end = tree.end(g.first(), g.level());
      int missing = awaited.nextClearBit(g.first());
      if (missing < end) {
        return reject("worker " + g.workerId() + " sent the partial of shards [" + g.first() + ", "
            + end + "), but shard " + missing + " is not awaited from a child");
      }
    }
    PartialAssembly.Outcome o = inbox.accept(g);
    if (o == PartialAssembly.Outcome.REJECTED) lastProblem = inbox.lastProblem();
    if (o == PartialAssembly.Outcome.ACCEPTED) {
      computeNanos = Math.max(computeNanos, g.computeNanos());
      receiveNanos = Math.max(receiveNanos, g.receiveNanos());
    }
    return o;
  }

  private PartialAssembly.Outcome reject(String why) {
    lastProblem = why;
    return PartialAssembly.Outcome.REJECTED;
  }

  /** Why the last chunk was rejected. */
  public String lastProblem() {
    return lastProblem;
  }

  /** Whether the own shards are computed and every awaited shard is in: time to forward. */
  public boolean isComplete() {
    if (!ownDone) return false;
    int covered = 0;
    for (int s = 0; s < tree.shards(); s++) if (tree.isCovered(s)) covered++;
    return covered == expected;
  }

  /** The nodes to forward (the shard tree's tops); call when {@link #isComplete()}. */
  public List<ShardTree.Node> tops() {
    if (!isComplete()) throw new IllegalStateException("not every expected shard is in");
    return tree.tops();
  }

  /** The longest compute time of this worker and the partials it took in. */
  public long computeNanos() {
    return computeNanos;
  }

  /** The longest weight assembly time of this worker and the partials it took in. */
  public long receiveNanos() {
    return receiveNanos;
  }
}
