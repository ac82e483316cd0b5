package org.dtrain.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of one JVM's threads beside the training step's own, read from Linux's
 * {@code /proc/<pid>/task}: the JIT compilers, the garbage collector, Akka's scheduler, remoting
 * and cluster threads, and whatever else the process runs. The step's own threads are dtrain's
 * dispatchers (the coordinator and worker actors, {@code dtrain-dtrain.*}), the data links' I/O
 * threads ({@code dtrain-link-*}) and the shard threads ({@code dtrain-shard-*}); the step model
 * charges their work itself. On a machine the JVMs share, the rest takes cores from the step.
 */
public final class JvmThreads {
  private JvmThreads() {}

  /**
   * CPU nanoseconds so far of each background thread of process {@code pid}, by thread id; empty
   * when {@code /proc} cannot tell (not Linux, the process is gone).
   */
  public static Map<Long, Long> background(long pid) {
    Map<Long, Long> out = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path t : dir) {
        try {
          String name = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).strip();
          if (isStepThread(name)) continue;
          long nanos = cpuNanos(t);
          if (nanos >= 0) out.put(Long.parseLong(t.getFileName().toString()), nanos);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return out;
  }

  /**
   * CPU nanoseconds the background threads used from {@code before} to {@code after} (threads
   * started meanwhile count from 0; threads that ended are lost, a small undercount).
   */
  public static long between(Map<Long, Long> before, Map<Long, Long> after) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      sum += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
    }
    return sum;
  }

  /** Whether a thread (by its name as Linux keeps it: the first 15 characters) runs the step. */
  static boolean isStepThread(String name) {
    return name.startsWith("dtrain-dtrain.") || name.startsWith("dtrain-link")
        || name.startsWith("dtrain-shard");
  }

  /** Time on a CPU: schedstat's first field (ns), else utime + stime of stat (ticks of 10 ms). */
  private static long cpuNanos(Path task) throws IOException {
    Path schedstat = task.resolve("schedstat");
    if (Files.exists(schedstat)) {
      String s = Files.readString(schedstat, StandardCharsets.US_ASCII).strip();
      return Long.parseLong(s.substring(0, s.indexOf(' ')));
    }
    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // USER_HZ = 100
  }
}
