package org.dtrain.scale.predict;

/**
 * Where the workers' compute runs: on machines of their own, or all on one machine. On one machine
 * ({@link #shared()}) every CPU cost of the step, the coordinator's and each worker's message work
 * included, waits for one of its {@code cores}; in a cluster the coordinator and each host's
 * message work have a core of their own, and only a worker's shards and tree adds share its cores.
 *
 * <ul>
 *   <li>{@link Kind#CLUSTER}: every worker is a machine with {@code cores} cores and computes up to
 *       that many of its shards at once (a worker process alone on its host: {@code WorkerProcess}
 *       sets one shard thread per core).
 *   <li>{@link Kind#ONE_JVM}: all K workers share {@code cores} cores in one JVM
 *       ({@code LocalCluster}): each computes up to max(1, cores / K) shards at once, and at most
 *       min(K, cores) workers compute at the same time (the worker dispatcher's threads).
 *   <li>{@link Kind#PROCESSES}: K worker processes on one machine of {@code cores} cores, each with
 *       one shard thread per core ({@code dtrain scale --processes}); the cores are shared.
 * </ul>
 *
 * @param cores cores per worker machine (CLUSTER) or of the one shared machine (the others)
 * @param threads shard threads of every worker, whatever K, as {@code dtrain scale} sets them
 *     (cores / the most workers of the experiment); 0 for the kind's own rule above
 */
public record Placement(Kind kind, int cores, int threads) {
  /** See the class comment. */
  public enum Kind { CLUSTER, ONE_JVM, PROCESSES }

  public Placement {
    if (kind == null) throw new IllegalArgumentException("expected a placement kind, found null");
    if (cores < 1) throw new IllegalArgumentException("expected at least 1 core, found " + cores);
    if (threads < 0) throw new IllegalArgumentException("expected 0 or more threads, found " + threads);
  }

  public Placement(Kind kind, int cores) {
    this(kind, cores, 0);
  }

  /** The same placement with {@code threadsPerWorker} shard threads in every worker. */
  public Placement withThreads(int threadsPerWorker) {
    return new Placement(kind, cores, threadsPerWorker);
  }

  /** Every worker on a machine of its own with {@code coresPerWorker} cores. */
  public static Placement cluster(int coresPerWorker) {
    return new Placement(Kind.CLUSTER, coresPerWorker);
  }

  /** All workers as actors in one JVM on a machine of {@code coresTotal} cores. */
  public static Placement oneJvm(int coresTotal) {
    return new Placement(Kind.ONE_JVM, coresTotal);
  }

  /** All workers as processes on one machine of {@code coresTotal} cores. */
  public static Placement processes(int coresTotal) {
    return new Placement(Kind.PROCESSES, coresTotal);
  }

  /** How many of its shards one of {@code workers} workers computes at the same time, at most. */
  public int threadsPerWorker(int workers) {
    if (threads > 0) return threads;
    return kind == Kind.ONE_JVM ? Math.max(1, cores / workers) : cores;
  }

  /** Whether all workers and the coordinator compete for one machine's cores. */
  public boolean shared() {
    return kind != Kind.CLUSTER;
  }
}
