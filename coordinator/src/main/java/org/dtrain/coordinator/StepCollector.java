package org.dtrain.coordinator;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Parameters;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.worker.BufferExchange;
import org.dtrain.worker.PartialAssembly;
import org.dtrain.worker.ShardTree;

/**
 * Takes in one step's gradient partials, chunk by chunk and in any order, and completes the fixed
 * shard tree as they arrive ({@link PartialAssembly}, which a worker adding its children's partials in
 * tree reduction uses too). Decides what is a duplicate or does not fit; the caller checks job, step
 * and protocol first. Keeps the workers' compute and receive times for the step's metrics.
 */
public final class StepCollector {
  /** What became of a chunk; NON_FINITE: it holds a NaN or an infinity (the step cannot be applied). */
  public enum Outcome { ACCEPTED, DUPLICATE, REJECTED, NON_FINITE }

  private final PartialAssembly inbox;
  private final ShardTree tree;
  private final Map<String, Long> computeByWorker = new HashMap<>();
  private long maxReceiveNanos;

  public StepCollector(ModelSpec spec, int shards) {
    this.tree = new ShardTree(spec, shards, true); // the optimizer makes the root's addition
    this.inbox = new PartialAssembly(tree, spec.parameterCount(), true);
  }

  /** See {@link PartialAssembly#buffersFrom}. */
  public void buffersFrom(Function<String, BufferExchange> bySender) {
    inbox.buffersFrom(bySender);
  }

  /** Starts a new step: forgets every partial, keeps the buffers. */
  public void reset() {
    inbox.reset();
    computeByWorker.clear();
    maxReceiveNanos = 0;
  }

  public Outcome accept(ShardGradients g) {
    switch (inbox.accept(g)) {
      case DUPLICATE:
        return Outcome.DUPLICATE;
      case REJECTED:
        return Outcome.REJECTED;
      case NON_FINITE:
        return Outcome.NON_FINITE;
      default:
        break;
    }
    computeByWorker.merge(g.workerId(), g.computeNanos(), Math::max);
    maxReceiveNanos = Math.max(maxReceiveNanos, g.receiveNanos());
    return Outcome.ACCEPTED;
  }

  /** Why the last chunk was rejected. */
  public String lastProblem() {
    return inbox.lastProblem();
  }

  public boolean isComplete() {
    return tree.isComplete();
  }

  public Parameters sum() {
    return tree.root();
  }

  /** The sum as the root's two halves, not added yet (see {@link ShardTree#rootHalves}). */
  public ShardTree.Halves sumHalves() {
    return tree.rootHalves();
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
    inbox.dropFrom(workerId);
  }

  /** Whether the shard's gradient is in, or on its way from a worker other than {@code except}. */
  public boolean covers(int shard, String except) {
    return inbox.covers(shard, except);
  }
}
