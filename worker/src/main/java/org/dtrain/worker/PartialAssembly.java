package org.dtrain.worker;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.dtrain.math.Blas;
import org.dtrain.math.Buffers;
import org.dtrain.nn.BatchStats;
import org.dtrain.protocol.ChunkRanges;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.ShardGradients;

/**
 * Writes partials that arrive as {@link ShardGradients} chunks, in any order, into a {@link ShardTree}:
 * a partial's chunks fill its node's buffer, and the node is completed (and added up the tree) when
 * every value is in. Decides what is a duplicate and what does not fit; used by whoever receives
 * partials, the coordinator ({@code StepCollector}) and a worker that adds its children's partials in
 * a reduction tree ({@link PartialCombiner}).
 *
 * <p>Nodes of the shard tree are nested or disjoint. A partial overlapping a node that is complete, or
 * on its way from another sender, is a {@link Outcome#DUPLICATE} and dropped whole: the first one
 * wins, and nothing is ever counted twice. Not thread-safe.
 */
public final class PartialAssembly {
  /**
   * What became of a chunk. NON_FINITE: it holds a NaN or an infinity (checked only when asked
   * for); it was written into the node's buffer, and the node is not completed.
   */
  public enum Outcome { ACCEPTED, DUPLICATE, REJECTED, NON_FINITE }

  private final ShardTree tree;
  private final int count;
  private final boolean checkFinite;
  private final Map<Integer, Pending> pending = new HashMap<>(); // by first shard
  private String lastProblem = "";
  private Function<String, BufferExchange> exchanges = w -> null;

  /** @param tree where the nodes are completed; its buffers take the values */
  public PartialAssembly(ShardTree tree, int parameterCount) {
    this(tree, parameterCount, false);
  }

  /**
   * @param checkFinite whether each chunk is checked for NaN and infinities once written (the
   *     coordinator's check; {@link Blas#allFinite} on the native range, about 10 µs per MB)
   */
  public PartialAssembly(ShardTree tree, int parameterCount, boolean checkFinite) {
    this.tree = tree;
    this.count = parameterCount;
    this.checkFinite = checkFinite;
  }

  public ShardTree tree() {
    return tree;
  }

  /**
   * Where a whole partial's buffer can be taken over instead of copied into the tree: the data link
   * of the worker that sent it (null: none; by default, never).
   */
  public void buffersFrom(Function<String, BufferExchange> bySender) {
    this.exchanges = bySender;
  }

  /** Forgets every node of the tree and every partial on its way. */
  public void reset() {
    tree.reset();
    pending.clear();
  }

  /** Takes one chunk; see {@link #lastProblem} for why one was rejected. */
  public Outcome accept(ShardGradients g) {
    FloatChunk c = g.gradient();
    if (c.total() != count) {
      return reject("a gradient of " + c.total() + " values from worker " + g.workerId()
          + ", expected " + count);
    }
    if (!tree.isNode(g.first(), g.level())) {
      return reject("worker " + g.workerId() + " sent a partial for (" + g.first() + ", "
          + g.level() + "), which is no subtree of the tree over " + tree.shards() + " shards");
    }
    Pending p = pending.get(g.first());
    if (p == null) {
      if (!tree.isFree(g.first(), g.level()) || overlapsPending(g.first(), g.level())) {
        return Outcome.DUPLICATE;
      }
      p = new Pending(g.level(), new BatchStats(g.samples(), g.lossSum(), g.correct()),
          g.workerId());
      pending.put(g.first(), p);
    } else if (p.level != g.level() || !p.worker.equals(g.workerId())) {
      return Outcome.DUPLICATE; // another worker's copy of a partial in flight: the first one wins
    }
    if (p.ranges.contains(c.offset())) return Outcome.DUPLICATE;
    if (!p.ranges.add(c.offset(), c.length())) {
      pending.remove(g.first());
      return reject("worker " + g.workerId() + " sent overlapping chunks for the partial of shards ["
          + g.first() + ", " + tree.end(g.first(), g.level()) + ")");
    }
    FloatBuffer values = tree.buffer(g.first()).values();
    BufferExchange link = c.isWhole() && c.values().capacity() == count
        ? exchanges.apply(g.workerId()) : null;
    if (link != null && link.exchange(c.values(), values)) {
      tree.adopt(g.first(), c.values()); // the link's buffer is the node's now: no copy
      values = c.values();
    } else {
      c.copyTo(values);
    }
    if (checkFinite
        && !Blas.get().allFinite(Buffers.view(values, c.offset(), c.length()), c.length())) {
      pending.remove(g.first());
      return Outcome.NON_FINITE;
    }
    if (p.ranges.received() == count) {
      pending.remove(g.first());
      tree.complete(g.first(), g.level(), p.stats);
    }
    return Outcome.ACCEPTED;
  }

  private Outcome reject(String why) {
    lastProblem = why;
    return Outcome.REJECTED;
  }

  /** Why the last chunk was rejected. */
  public String lastProblem() {
    return lastProblem;
  }

  private boolean overlapsPending(int first, int level) {
    int end = tree.end(first, level);
    for (Map.Entry<Integer, Pending> e : pending.entrySet()) {
      int f = e.getKey();
      if (f < end && first < tree.end(f, e.getValue().level)) return true;
    }
    return false;
  }

  /** Whether some shard of node (first, level) is in, or on its way. */
  public boolean overlaps(int first, int level) {
    return !tree.isFree(first, level) || overlapsPending(first, level);
  }

  /**
   * Forgets the partials of this sender that are not complete yet (it is gone; their shards are
   * computed again elsewhere).
   */
  public void dropFrom(String workerId) {
    pending.values().removeIf(p -> p.worker.equals(workerId));
  }

  /** Whether the shard's gradient is in, or on its way from a worker other than {@code except}. */
  public boolean covers(int shard, String except) {
    if (tree.isCovered(shard)) return true;
    for (Map.Entry<Integer, Pending> e : pending.entrySet()) {
      Pending p = e.getValue();
      if (!p.worker.equals(except) && e.getKey() <= shard
          && shard < tree.end(e.getKey(), p.level)) {
        return true;
      }
    }
    return false;
  }

  private static final class Pending {
    final int level;
    final BatchStats stats;
    final String worker;
    final ChunkRanges ranges = new ChunkRanges();

    Pending(int level, BatchStats stats, String worker) {
      this.level = level;
      this.stats = stats;
      this.worker = worker;
    }
  }
}
