package org.dtrain.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link JvmThreads}: which threads are the step's, and the background CPU read from /proc. */
class ScaleJvmThreadsTest {
  @Test
  void theStepsThreadsAreDtrainsDispatchersLinksAndShardThreadsByTheirLinuxNames() {
    for (String step : new String[] {"dtrain-dtrain.c", "dtrain-dtrain.w", "dtrain-dtrain.s",
        "dtrain-link-3-1", "dtrain-link-1-1", "dtrain-shard-w-"}) {
      assertTrue(JvmThreads.isStepThread(step), step);
    }
    for (String other : new String[] {"C2 CompilerThre", "C1 CompilerThre", "GC Thread#0",
        "G1 Conc#0", "VM Thread", "dtrain-akka.act", "dtrain-schedule", "main", "java"}) {
      assertFalse(JvmThreads.isStepThread(other), other);
    }
  }

  @Test
  void betweenCountsNewThreadsFromZeroAndLosesEndedOnes() {
    Map<Long, Long> before = Map.of(1L, 100L, 2L, 50L);
    Map<Long, Long> after = Map.of(1L, 130L, 3L, 7L);
    assertEquals(30 + 7, JvmThreads.between(before, after));
    assertEquals(0, JvmThreads.between(Map.of(), Map.of()));
  }

  @Test
  void aBusyThreadBesideTheStepCountsAndAShardThreadDoesNot() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
    long self = ProcessHandle.current().pid();
    CountDownLatch done = new CountDownLatch(1);
    try {
      long busy = spin("busy-background-test", 100, done);
      long shard = spin("dtrain-shard-test", 100, done);
      Map<Long, Long> now = JvmThreads.background(self);
      assertTrue(now.get(busy) >= 100_000_000L, now.get(busy) + " ns");
      assertFalse(now.containsKey(shard), "a shard thread is the step's");
    } finally {
      done.countDown();
    }
    assertTrue(JvmThreads.background(-1).isEmpty(), "no such process");
  }

  /**
   * Starts a thread of this name that burns {@code ms} of CPU, then waits for {@code done}; returns
   * its Linux thread id once the CPU is burnt.
   */
  private static long spin(String name, long ms, CountDownLatch done) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    CountDownLatch burnt = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      long start = mx.getCurrentThreadCpuTime();
      double x = 0;
      while (mx.getCurrentThreadCpuTime() - start < ms * 1_000_000) x += Math.sqrt(x + 1);
      if (x < 0) System.out.println(x);
      burnt.countDown();
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    t.setDaemon(true);
    t.start();
    burnt.await();
    String linuxName = name.substring(0, Math.min(15, name.length()));
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        if (Files.readString(task.resolve("comm")).strip().equals(linuxName)) {
          return Long.parseLong(task.getFileName().toString());
        }
      }
    }
    throw new AssertionError("no thread named " + linuxName);
  }
}
