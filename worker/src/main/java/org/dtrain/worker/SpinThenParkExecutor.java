package org.dtrain.worker;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An Akka executor of a fixed pool of threads that, when they run out of work, keep looking for
 * more for a short while (yielding the core to any other runnable thread between looks) before
 * they park. In a training step the next message usually follows within microseconds (a worker's
 * partials after the coordinator's start, the next start after the update), and waking a parked
 * thread costs 20-50 us on a virtual machine whose idle cores halt: more than the step of a small
 * model. The wait is bounded, so a thread that has nothing coming (a coordinator during a long
 * compute) costs at most that long per step.
 *
 * <p>Configured in a dispatcher's section:
 * <pre>
 *   executor = "org.dtrain.worker.SpinThenParkExecutor"
 *   spin-then-park { pool-size = 2, spin = 20us }
 * </pre>
 */
public final class SpinThenParkExecutor extends ExecutorServiceConfigurator {
  private final int poolSize;
  private final long spinNanos;

  public SpinThenParkExecutor(Config config, DispatcherPrerequisites prerequisites) {
    super(config, prerequisites);
    Config c = config.getConfig("spin-then-park");
    this.poolSize = c.getInt("pool-size");
    this.spinNanos = c.getDuration("spin", TimeUnit.NANOSECONDS);
    if (poolSize < 1) {
      throw new IllegalArgumentException("spin-then-park.pool-size must be at least 1, found "
          + poolSize);
    }
    if (spinNanos < 0) {
      throw new IllegalArgumentException("spin-then-park.spin must not be negative");
    }
  }

  @Override
  public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threads) {
    return () -> new ThreadPoolExecutor(poolSize, poolSize, 60, TimeUnit.SECONDS,
        new SpinningQueue(spinNanos), threads);
  }

  /** A queue whose take() polls (and yields) for up to spinNanos before it blocks. */
  static final class SpinningQueue extends LinkedBlockingQueue<Runnable> {
    private final long spinNanos;

    SpinningQueue(long spinNanos) {
      this.spinNanos = spinNanos;
    }

    @Override
    public Runnable take() throws InterruptedException {
      if (spinNanos > 0) {
        long end = System.nanoTime() + spinNanos;
        do {
          Runnable r = poll();
          if (r != null) {
            return r;
          }
          Thread.yield();
        } while (System.nanoTime() - end < 0);
      }
      return super.take();
    }
  }
}
