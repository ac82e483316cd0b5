package org.dtrain.cli;

import static org.dtrain.cli.Cli.DIGITS;
import static org.dtrain.cli.Cli.IRIS;
import static org.dtrain.cli.Cli.assertBadInput;
import static org.dtrain.cli.Cli.ok;
import static org.dtrain.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dtrain.coordinator.ClusterJob;
import org.dtrain.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code train --sim-latency --sim-bandwidth --sim-slow-worker}: a slow network and a straggler
 * change how long the job takes, never a bit of the model. Timings are checked as lower bounds only.
 */
class CliSimTest {
  @TempDir Path dir;

  /** iris on 2 workers over 2 shards, 3 epochs of 5 steps, with {@code extra} flags. */
  private List<String> iris(String name, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--data", IRIS, "--layers", "auto,6,auto",
        "--scale", "standard", "--seed", "11", "--optimizer", "adam", "--lr", "0.01",
        "--batch-size", "32", "--epochs", "3", "--workers", "2", "--shards", "2",
        "--save-model", dir.resolve(name + ".dtrm").toString(),
        "--metrics-out", dir.resolve(name + ".csv").toString(), "--metrics-every-step"));
    args.addAll(List.of(extra));
    return args;
  }

  /** The raw bits of a saved model's weights. */
  private int[] bits(String name) throws IOException {
    float[] w = ModelFile.read(dir.resolve(name + ".dtrm"), name).parameters().toArray();
    int[] b = new int[w.length];
    for (int i = 0; i < w.length; i++) b[i] = Float.floatToRawIntBits(w[i]);
    return b;
  }

  /** The metrics CSV's last wall_ms: milliseconds from the first step's start to the last's end. */
  private long lastWallMs(String name) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve(name + ".csv"));
    assertEquals(1 + 15, lines.size(), () -> "one row per step\n" + lines);
    return Long.parseLong(lines.get(lines.size() - 1).split(",", -1)[7]);
  }

  @Test
  void aSlowNetworkKeepsEveryBitAndDelaysEveryStep() throws IOException {
    ok(iris("plain", "--quiet").toArray(String[]::new));
    Cli.Result r = ok(iris("sim", "--sim-latency", "2ms", "--sim-bandwidth", "100Mbit")
        .toArray(String[]::new));
    assertTrue(r.out().contains("; simulated: latency 2ms, bandwidth 100Mbit/s"),
        () -> "the header line says what is simulated\n" + r);
    assertArrayEquals(bits("plain"), bits("sim"), "the simulated network changes no bit");
    // every step: the weights go out (2 ms), the partials come back (2 ms)
    long wall = lastWallMs("sim");
    assertTrue(wall >= 15 * 2 * 2, "15 steps of at least 4 ms each, took " + wall + " ms");
  }

  @Test
  void aStragglerIsOvertakenAndEveryBitStays() throws IOException {
    Logger log = (Logger) LoggerFactory.getLogger(ClusterJob.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    log.addAppender(logged);
    List<String> job = List.of("train", "--data", DIGITS, "--layers", "auto,128,auto",
        "--scale", "standard", "--seed", "3", "--batch-size", "full", "--steps", "4",
        "--workers", "2", "--shards", "2", "--quiet");
    try {
      List<String> plain = new ArrayList<>(job);
      plain.addAll(List.of("--save-model", dir.resolve("plain.dtrm").toString()));
      ok(plain.toArray(String[]::new));
      // worker 1 computes 1000x as long as worker 0: worker 0's ~900 rows take well under the
      // 50 ms timeout on any machine, and over 50 us (so 1000x passes the timeout) on any too;
      // 50x was not enough where the rows take under 1 ms
      List<String> slow = new ArrayList<>(job);
      slow.addAll(List.of("--save-model", dir.resolve("slow.dtrm").toString(),
          "--sim-slow-worker", "1:1000x", "--step-timeout", "50ms"));
      ok(slow.toArray(String[]::new));
    } finally {
      log.detachAppender(logged);
    }
    assertArrayEquals(bits("plain"), bits("slow"), "the straggler changes no bit");
    assertTrue(logged.list.stream().anyMatch(e -> e.getFormattedMessage()
            .matches("step \\d+: worker w1 is late \\(--step-timeout\\).*")),
        () -> "worker w1's shards were computed again elsewhere: " + logged.list);
  }

  @Test
  void badSimFlagsExit2NamingTheFlag() {
    String[] job = {"train", "--data", IRIS, "--epochs", "1", "--workers", "2", "--quiet"};
    assertBadInput(run(with(job, "--sim-latency", "fast")), "train: --sim-latency:",
        "expected a duration like 200us", "found 'fast'");
    assertBadInput(run(with(job, "--sim-bandwidth", "10Gb")), "train: --sim-bandwidth:",
        "expected a bandwidth like 10Gbit", "found '10Gb'");
    assertBadInput(run(with(job, "--sim-slow-worker", "1-3x")), "train: --sim-slow-worker:",
        "expected WORKER:FACTORx like 1:3x", "found '1-3x'");
    assertBadInput(run(with(job, "--sim-slow-worker", "2:3x")), "--sim-slow-worker:",
        "expected a worker index 0 to 1 (there are 2 workers)", "found 2 in '2:3x'");
    assertBadInput(run(with(job, "--sim-slow-worker", "0:0.5x")), "--sim-slow-worker:",
        "expected a factor from 1", "found 0.5");
    assertBadInput(run("coordinator", "--workers", "1", "--data", IRIS, "--sim-latency", "1ms"),
        "--sim-latency");
  }

  private static String[] with(String[] job, String... more) {
    List<String> all = new ArrayList<>(List.of(job));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
