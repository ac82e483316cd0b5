package org.dtrain.coordinator;

import java.util.HashMap;
import java.util.Map;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Parameters;
import org.dtrain.protocol.ChunkRanges;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.worker.ShardTree;

/**
 * Takes in one step's gradient partials, chunk by chunk and in any order, and completes the fixed
 * shard tree as they arrive. Decides what is a duplicate or does not fit; the caller checks job, step
 * and protocol first.
 */
public final class StepCollector {
  /** What became of a chunk. */
  public enum Outcome { ACCEPTED, DUPLICATE, REJECTED }

  private final ShardTree tree;
  private final int count;
  private final Map<Integer, Pending> pending = new HashMap<>(); // by first shard
  private final Map<String, Long> computeByWorker = new HashMap<>();
  private long maxReceiveNanos;
  private String lastProblem = "";

  public StepCollector(ModelSpec spec, int shards) {
    this.tree = new ShardTree(spec, shards);
    this.count = spec.parameterCount();
  }

  /** Starts a new step: forgets every partial, keeps the buffers. */
  public void reset() {
    tree.reset();
    pending.clear();
    computeByWorker.clear();
    maxReceiveNanos = 0;
  }

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
    Parameters buf = tree.buffer(g.first());
    buf.values().put(c.offset(), c.array(), c.from(), c.length());
    computeByWorker.merge(g.workerId(), g.computeNanos(), Math::max);
    maxReceiveNanos = Math.max(maxReceiveNanos, g.receiveNanos());
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

  public boolean isComplete() {
    return tree.isComplete();
  }

  public Parameters sum() {
    return tree.root();
  }

  public BatchStats stats() {
    return tree.rootStats();
  }

  /** The slowest worker's compute time this step. */
  public long maxComputeNanos() {
    long m = 0;
    for (long v : computeByWorker.values()) m = Math.max(m, v);
    return m;
  }

  /** Each worker's compute time this step (the longest of its partials), by worker id. */
  public Map<String, Long> computeByWorker() {
    return java.util.Collections.unmodifiableMap(computeByWorker);
  }

  /** The workers' mean compute time this step. */
  public double meanComputeNanos() {
    if (computeByWorker.isEmpty()) return 0;
    long s = 0;
    for (long v : computeByWorker.values()) s += v;
    return (double) s / computeByWorker.size();
  }

  public long maxReceiveNanos() {
    return maxReceiveNanos;
  }

  /**
   * Forgets the partials of this worker that are not complete yet (it is gone; their shards are
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
