package org.dtrain.sim;

import akka.actor.ActorRef;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One daemon thread that tells actors their messages at given {@link System#nanoTime} instants,
 * finer than Akka's scheduler (which ticks every ~10 ms, too coarse for a 200 us latency): it parks
 * until {@link #SPIN_NANOS} before the earliest item is due, then spins the rest. Items due at the
 * same instant go out in the order they were added, so a caller that adds each link's messages with
 * non-decreasing due times keeps every link in order. Thread-safe.
 */
final class TimedDelivery implements AutoCloseable {
  /** parkNanos wakes up to ~50 us late on Linux: the last stretch is a busy wait. */
  static final long SPIN_NANOS = 50_000;

  private record Item(long due, long seq, ActorRef target, Object message, ActorRef sender) {}

  private final PriorityQueue<Item> queue = new PriorityQueue<>(
      Comparator.comparingLong(Item::due).thenComparingLong(Item::seq));
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition headChanged = lock.newCondition();
  private final Thread thread;
  private long added;
  private volatile boolean closed;

  TimedDelivery(String name) {
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Tells {@code target} the message, from {@code sender}, at {@code due} (nanoTime). */
  void at(long due, ActorRef target, Object message, ActorRef sender) {
    lock.lock();
    try {
      Item item = new Item(due, added++, target, message, sender);
      queue.add(item);
      if (queue.peek() == item) headChanged.signal();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (!closed) {
      Item next;
      lock.lock();
      try {
        Item head = queue.peek();
        if (head == null) {
          headChanged.await();
          continue;
        }
        long wait = head.due() - System.nanoTime();
        if (wait > SPIN_NANOS) {
          headChanged.await(wait - SPIN_NANOS, TimeUnit.NANOSECONDS);
          continue;
        }
        next = queue.poll();
      } catch (InterruptedException e) {
        return; // closed
      } finally {
        lock.unlock();
      }
      while (System.nanoTime() - next.due() < 0) Thread.onSpinWait();
      next.target().tell(next.message(), next.sender());
    }
  }

  /** Stops the thread; messages not yet due are dropped. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
