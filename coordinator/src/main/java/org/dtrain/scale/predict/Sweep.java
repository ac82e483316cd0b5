package org.dtrain.scale.predict;

import java.util.List;

/**
 * The configurations of a prediction table: every worker count with every reduction and network,
 * around one base configuration.
 *
 * @param workers worker counts K, e.g. 1, 2, 4, ..., 1024
 * @param reductions e.g. star and tree(2)
 * @param networks e.g. 1 Gbit and 10 Gbit
 * @param scaling STRONG keeps the base's global batch; WEAK makes it base batch x K (the base's
 *     batch is then the per-worker batch)
 * @param shardsAtLeastWorkers S = max(base S, K), as {@code dtrain scale} sets it; false keeps the
 *     base's S, so that workers beyond S get no shards and add nothing
 */
public record Sweep(List<Integer> workers, List<Reduction> reductions, List<NetworkSpec> networks,
    Scaling scaling, boolean shardsAtLeastWorkers) {

  /** How the global batch follows the worker count. */
  public enum Scaling { STRONG, WEAK }

  public Sweep {
    workers = List.copyOf(workers);
    reductions = List.copyOf(reductions);
    networks = List.copyOf(networks);
    if (workers.isEmpty() || reductions.isEmpty() || networks.isEmpty() || scaling == null) {
      throw new IllegalArgumentException("expected at least one worker count, reduction and "
          + "network, and a scaling mode");
    }
    for (int k : workers) {
      if (k < 1) throw new IllegalArgumentException("expected worker counts >= 1, found " + k);
    }
  }

  /** 1, 2, 4, ... up to and including {@code max} (a power of two). */
  public static List<Integer> powersOfTwo(int max) {
    List<Integer> out = new java.util.ArrayList<>();
    for (long k = 1; k <= max; k *= 2) out.add((int) k);
    return out;
  }

  /** The configuration of K workers with this reduction and network, from {@code base}. */
  public StepConfig config(StepConfig base, int k, Reduction reduction, NetworkSpec network) {
    int batch = scaling == Scaling.WEAK ? Math.multiplyExact(base.globalBatch(), k)
        : base.globalBatch();
    int shards = shardsAtLeastWorkers ? Math.max(base.shards(), k) : base.shards();
    return base.withWorkers(k).withShards(shards).withGlobalBatch(batch).withReduction(reduction)
        .withNetwork(network);
  }
}
