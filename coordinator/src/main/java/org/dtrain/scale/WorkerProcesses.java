package org.dtrain.scale;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * K {@code dtrain worker} JVMs on 127.0.0.1 for {@code dtrain scale --processes}: the same Java and
 * class path as this JVM, each told it has the given number of processors (so the workers never run
 * more compute threads than the machine's cores) and given this JVM's {@code -XX} and heap options
 * (the launcher's collector, {@code DTRAIN_JAVA_OPTS}), output in {@code logs/worker-<i>.log}.
 * Closing stops exactly the processes it started, by PID: politely, then forcibly.
 */
public final class WorkerProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();

  private WorkerProcesses() {}

  /**
   * Starts {@code count} workers that join the coordinator at 127.0.0.1:{@code port}.
   *
   * @param threads processors each worker JVM sees (its shard threads)
   */
  public static WorkerProcesses start(int count, int threads, int port, Path logs,
      String mainClass) throws IOException {
    Files.createDirectories(logs);
    WorkerProcesses w = new WorkerProcesses();
    try {
      for (int i = 0; i < count; i++) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(sharedJvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        cmd.addAll(List.of("-XX:ActiveProcessorCount=" + threads, "-Xss4m",
            "-cp", System.getProperty("java.class.path"), mainClass,
            "worker", "--coordinator", "127.0.0.1:" + port, "--bind", "127.0.0.1", "--port", "0"));
        Path log = logs.resolve("worker-" + i + ".log");
        w.processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start());
      }
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
    }
    return w;
  }

  /**
   * Of this JVM's options, those a worker JVM runs with too: {@code -XX:} settings (the collector
   * the launcher picked, the JIT's) and the heap's {@code -Xms}/{@code -Xmx}; not the processor
   * count (each worker gets its own), system properties, agents or logging.
   */
  static List<String> sharedJvmOptions(List<String> options) {
    return options.stream()
        .filter(o -> o.startsWith("-XX:") && !o.startsWith("-XX:ActiveProcessorCount=")
            || o.startsWith("-Xms") || o.startsWith("-Xmx"))
        .toList();
  }

  /** The PIDs of the started workers. */
  public List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  /** Stops every worker this started that still runs (after a finished job they exit alone). */
  @Override
  public void close() {
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroy();
          if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
