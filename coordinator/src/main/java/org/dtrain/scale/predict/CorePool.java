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
 *   <li>a host's own thread (its actor): a worker adding finished shards into its tree, and, when
 *       the machine is shared ({@link Placement#shared()}), every other piece of CPU work of a
 *       worker or of the coordinator (taking in a message piece, sending one, copying the weights,
 *       the reduce and the optimizer). One piece of work at a time per host, served before shards
 *       (the OS runs a woken thread at once). With one shard thread the worker computes its shards
 *       on that same thread (WorkerSession without a pool), so its own work and its shards then take
 *       turns.
 * </ul>
 * A third kind, a JVM's background thread (JIT compilers, GC), waits with the shards, first come,
 * first served, one slice at a time. A host is a worker's index, or any other index for a thread
 * without shards (the coordinator, a background thread).
 * Oversubscription is first come, first served, not time-sliced: the same work ends at about the
 * same time either way. Not thread-safe.
 */
final class CorePool {
  /**
   * Work for a core.
   *
   * @param host the worker (or the coordinator) whose thread it runs on
   * @param actor on the host's own thread, not one of its shard threads
   * @param then runs when the work ends; null for a worker's shards and tree adds, which the
   *     simulation follows itself
   */
  record Task(int host, long durationNanos, boolean actor, Runnable then) {}

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
    for (int i = 0; i < count; i++) shardWork.add(new Task(worker, durationNanos, false, null));
  }

  /** Queues work for the worker's own thread (its tree adds). */
  void submitActor(int worker, long durationNanos) {
    submitActor(worker, durationNanos, null);
  }

  /** Queues work for the host's own thread; {@code then} runs when it ends. */
  void submitActor(int host, long durationNanos, Runnable then) {
    actorWork.add(new Task(host, durationNanos, true, then));
  }

  /** Queues a slice of a background thread's work, with the shards; {@code then} runs when it ends. */
  void submitBackground(int thread, long durationNanos, Runnable then) {
    shardWork.add(new Task(thread, durationNanos, false, then));
  }

  void finished(Task t) {
    free++;
    if (t.actor()) actorRunning.remove(t.host());
    else shardsRunning.merge(t.host(), -1, Integer::sum);
  }

  /** Starts waiting work while cores are free: the hosts' own threads first, then shards. */
  void dispatch(Starter starter) {
    for (Iterator<Task> it = actorWork.iterator(); free > 0 && it.hasNext(); ) {
      Task t = it.next();
      if (actorRunning.containsKey(t.host())) continue;
      if (perWorker == 1 && shardsRunning.getOrDefault(t.host(), 0) > 0) continue;
      it.remove();
      start(t, starter);
    }
    for (Iterator<Task> it = shardWork.iterator(); free > 0 && it.hasNext(); ) {
      Task t = it.next();
      if (shardsRunning.getOrDefault(t.host(), 0) >= perWorker) continue;
      if (perWorker == 1 && actorRunning.containsKey(t.host())) continue;
      it.remove();
      start(t, starter);
    }
  }

  private void start(Task t, Starter starter) {
    free--;
    if (t.actor()) actorRunning.put(t.host(), true);
    else shardsRunning.merge(t.host(), 1, Integer::sum);
    starter.start(t);
  }
}
