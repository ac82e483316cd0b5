package org.dtrain.scale.predict;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The cores of one machine in the step model: shard computations wait in submission order and
 * start on a free core, each worker running at most {@code perWorker} of its shards at once (its
 * shard threads). Oversubscription is served first come, first served, not time-sliced: with equal
 * tasks the last one ends at the same time either way.
 */
final class CorePool {
  /** Starts a task now; it must call {@link #finished} when it ends. */
  interface Starter {
    void start(int worker, long durationNanos);
  }

  private record Task(int worker, long durationNanos) {}

  private final int perWorker;
  private int free;
  private final ArrayDeque<Task> waiting = new ArrayDeque<>();
  private final Map<Integer, Integer> running = new HashMap<>(); // worker -> tasks on cores

  /**
   * @param cores cores of the machine, at least 1
   * @param perWorker the most tasks of one worker on cores at once, at least 1
   */
  CorePool(int cores, int perWorker) {
    this.free = cores;
    this.perWorker = perWorker;
  }

  /** Queues {@code count} tasks of one worker. */
  void submit(int worker, int count, long durationNanos) {
    for (int i = 0; i < count; i++) waiting.add(new Task(worker, durationNanos));
  }

  /** A task of {@code worker} ended: its core is free. */
  void finished(int worker) {
    free++;
    running.merge(worker, -1, Integer::sum);
  }

  /** Starts waiting tasks, first come first served, while cores are free. */
  void dispatch(Starter starter) {
    for (Iterator<Task> it = waiting.iterator(); free > 0 && it.hasNext(); ) {
      Task t = it.next();
      if (running.getOrDefault(t.worker(), 0) >= perWorker) continue;
      it.remove();
      free--;
      running.merge(t.worker(), 1, Integer::sum);
      starter.start(t.worker(), t.durationNanos());
    }
  }
}
