package org.dtrain.scale.predict;

import java.util.Map;
import org.dtrain.protocol.FloatChunk;

/**
 * One configuration to predict: the job's shape, where the workers run, the reduction and the
 * network.
 *
 * @param workers K, worker processes or actors; only min(K, S) of them get shards and take part
 * @param shards S, the job's shard count (as given: the model does not raise it to K)
 * @param globalBatch B, rows per step over all shards; each shard computes B / S of them (for a data
 *     set of N rows with B not dividing N, pass N / ceil(N / B), the rows a step really averages)
 * @param parameters P, floats in the weights (and in every gradient partial)
 * @param placement which cores the workers compute on
 * @param reduction star or tree(F)
 * @param network latency and bandwidth of every link ({@link NetworkSpec#none()} in one JVM)
 * @param chunkFloats the transport's piece size: {@link FloatChunk#MAX_FLOATS} over Akka
 * @param slowWorkers worker index (the N of worker id wN) to a factor ≥ 1 its compute takes longer
 *     ({@code --sim-slow-worker}); empty for none
 */
public record StepConfig(int workers, int shards, int globalBatch, int parameters,
    Placement placement, Reduction reduction, NetworkSpec network, int chunkFloats,
    Map<Integer, Double> slowWorkers) {

  public StepConfig {
    if (workers < 1) throw new IllegalArgumentException("expected at least 1 worker, found " + workers);
    if (shards < 1) throw new IllegalArgumentException("expected at least 1 shard, found " + shards);
    if (globalBatch < 1) {
      throw new IllegalArgumentException("expected a global batch of at least 1 row, found "
          + globalBatch);
    }
    if (parameters < 1) {
      throw new IllegalArgumentException("expected at least 1 parameter, found " + parameters);
    }
    if (placement == null || reduction == null || network == null) {
      throw new IllegalArgumentException("expected a placement, a reduction and a network");
    }
    if (chunkFloats < 1) {
      throw new IllegalArgumentException("expected a chunk size of at least 1 float, found "
          + chunkFloats);
    }
    slowWorkers = Map.copyOf(slowWorkers);
    for (Map.Entry<Integer, Double> e : slowWorkers.entrySet()) {
      if (!(e.getValue() >= 1) || Double.isInfinite(e.getValue())) {
        throw new IllegalArgumentException("expected a slow-down factor >= 1 for worker "
            + e.getKey() + ", found " + e.getValue());
      }
    }
  }

  /** Star reduction, no network, Akka's piece size, no slow workers. */
  public static StepConfig of(int workers, int shards, int globalBatch, int parameters,
      Placement placement) {
    return new StepConfig(workers, shards, globalBatch, parameters, placement, Reduction.star(),
        NetworkSpec.none(), FloatChunk.MAX_FLOATS, Map.of());
  }

  /** min(K, S): the workers that get shards (ShardAssignment gives every worker at least one). */
  public int activeWorkers() {
    return Math.min(workers, shards);
  }

  /** r = B / S: the rows of one shard in one step. */
  public double rowsPerShard() {
    return (double) globalBatch / shards;
  }

  /** The compute slow-down of worker {@code index}: 1 unless listed. */
  public double slowdown(int index) {
    return slowWorkers.getOrDefault(index, 1.0);
  }

  public StepConfig withWorkers(int k) {
    return new StepConfig(k, shards, globalBatch, parameters, placement, reduction, network,
        chunkFloats, slowWorkers);
  }

  public StepConfig withShards(int s) {
    return new StepConfig(workers, s, globalBatch, parameters, placement, reduction, network,
        chunkFloats, slowWorkers);
  }

  public StepConfig withGlobalBatch(int b) {
    return new StepConfig(workers, shards, b, parameters, placement, reduction, network,
        chunkFloats, slowWorkers);
  }

  public StepConfig withPlacement(Placement p) {
    return new StepConfig(workers, shards, globalBatch, parameters, p, reduction, network,
        chunkFloats, slowWorkers);
  }

  public StepConfig withReduction(Reduction r) {
    return new StepConfig(workers, shards, globalBatch, parameters, placement, r, network,
        chunkFloats, slowWorkers);
  }

  public StepConfig withNetwork(NetworkSpec n) {
    return new StepConfig(workers, shards, globalBatch, parameters, placement, reduction, n,
        chunkFloats, slowWorkers);
  }

  public StepConfig withChunkFloats(int c) {
    return new StepConfig(workers, shards, globalBatch, parameters, placement, reduction, network,
        c, slowWorkers);
  }

  public StepConfig withSlowWorkers(Map<Integer, Double> slow) {
    return new StepConfig(workers, shards, globalBatch, parameters, placement, reduction, network,
        chunkFloats, slow);
  }
}
