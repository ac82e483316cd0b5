package org.dtrain.scale.predict;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The cores of one machine in the step model. Two kinds of work wait for a core:
 * <ul>
 *   <li>shard computations, on a worker's shard threads: first come, first served, each worker
 *       running at most {@code perWorker} at once;
 *   <li>a worker's own thread (its actor) adding finished shards into its tree: one piece of work
 *       at a time per worker, served before shards (the OS runs a woken thread at once). With one
 *       shard thread the worker computes its shards on that same thread (WorkerSession without a
 *       pool), so its adds and its shards then take turns.
 * </ul>
 * Oversubscription is first come, first served, not time-sliced: the same work ends at about the
 * same time either way. Not thread-safe.
 */
final class CorePool {
  /** Work for a core. */
  record Task(int worker, long durationNanos, boolean actor) {}

  /** Starts a task now; it must call {@link #finished} when it ends. */
  interface Starter {
    void start(Task task);
  }

  private final int perWorker;
  private int free;
  private final ArrayDeque<Task> actorWork = new ArrayDeque<>();
  private final ArrayDeque<Task> shardWork = new ArrayDeque<>();
  private final Map<Integer, Integer> shardsRunning = new HashMap<>();
  private final Map<Integer, Boolean> actorRunning = new HashMap<>();

  /**
   * @param cores cores of the machine, at least 1
   * @param perWorker a worker's shard threads, at least 1
   */
  CorePool(int cores, int perWorker) {
    this.free = cores;
    this.perWorker = perWorker;
  }

  /** Queues {@code count} shard computations of one worker. */
  void submitShards(int worker, int count, long durationNanos) {
    for (int i = 0; i < count; i++) shardWork.add(new Task(worker, durationNanos, false));
  }

  /** Queues work for the worker's own thread. */
  void submitActor(int worker, long durationNanos) {
    actorWork.add(new Task(worker, durationNanos, true));
  }

  void finished(Task t) {
    free++;
    if (t.actor()) actorRunning.remove(t.worker());
    else shardsRunning.merge(t.worker(), -1, Integer::sum);
  }

  /** Starts waiting work while cores are free: the workers' own threads first, then shards. */
  void dispatch(Starter starter) {
    for (Iterator<Task> it = actorWork.iterator(); free > 0 && it.hasNext(); ) {
      Task t = it.next();
      if (actorRunning.containsKey(t.worker())) continue;
      if (perWorker == 1 && shardsRunning.getOrDefault(t.worker(), 0) > 0) continue;
      it.remove();
      start(t, starter);
    }
    for (Iterator<Task> it = shardWork.iterator(); free > 0 && it.hasNext(); ) {
      Task t = it.next();
      if (shardsRunning.getOrDefault(t.worker(), 0) >= perWorker) continue;
      if (perWorker == 1 && actorRunning.containsKey(t.worker())) continue;
      it.remove();
      start(t, starter);
    }
  }

  private void start(Task t, Starter starter) {
    free--;
    if (t.actor()) actorRunning.put(t.worker(), true);
    else shardsRunning.merge(t.worker(), 1, Integer::sum);
    starter.start(t);
  }
}
