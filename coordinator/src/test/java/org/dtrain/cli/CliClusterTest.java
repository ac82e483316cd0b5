package org.dtrain.cli;

import static org.dtrain.cli.Cli.IRIS;
import static org.dtrain.cli.Cli.assertBadInput;
import static org.dtrain.cli.Cli.ok;
import static org.dtrain.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dtrain train} on the in-JVM cluster: --workers, --shards, the timing columns, warnings. */
class CliClusterTest {
  private static final String HEADER = "step,epoch,loss,accuracy,test_loss,test_accuracy,"
      + "samples_per_s,wall_ms,compute_ms,reduce_ms,broadcast_ms,idle_pct";

  @TempDir Path dir;

  private static Cli.Result train(String... args) {
    String[] all = new String[args.length + 6];
    all[0] = "train";
    all[1] = "--data";
    all[2] = IRIS;
    System.arraycopy(args, 0, all, 3, args.length);
    all[args.length + 3] = "--quiet";
    all[args.length + 4] = "--epochs";
    all[args.length + 5] = "1";
    return run(all);
  }

  // ---- bad --workers / --shards ------------------------------------------------------------------

  @Test
  void negativeWorkers() {
    assertBadInput(train("--workers", "-1"), "--workers", "found -1");
  }

  @Test
  void workersNotANumber() {
    assertBadInput(train("--workers", "two"), "--workers", "two");
  }

  @Test
  void moreWorkersThanShards() {
    assertBadInput(train("--workers", "9", "--shards", "8"), "--workers", "--shards 8", "found 9");
  }

  @Test
  void moreWorkersThanTheDefaultShards() {
    // iris has 150 rows: the default is 16 shards
    assertBadInput(train("--workers", "17"), "--workers", "--shards 16", "found 17");
  }

  @Test
  void zeroShards() {
    assertBadInput(train("--shards", "0"), "--shards", "positive", "found 0");
  }

  @Test
  void negativeShards() {
    assertBadInput(train("--shards", "-3"), "--shards", "positive", "found -3");
  }

  @Test
  void moreShardsThanRows() {
    assertBadInput(train("--shards", "151"), "--shards", "150 training rows", "found 151");
  }

  @Test
  void moreShardsThanTrainingRowsAfterTheTestSplit() {
    // 150 rows, 20% held out: 120 training rows
    assertBadInput(train("--shards", "121", "--test-fraction", "0.2"), "--shards",
        "120 training rows", "found 121");
  }

  @Test
  void jobFileWorkersMoreThanShards() throws IOException {
    Path job = Cli.write(dir.resolve("job.conf"),
        "data = \"" + IRIS + "\"\nshards = 4\nworkers = 5\n");
    assertBadInput(run("train", "--config", job.toString(), "--quiet", "--epochs", "1"),
        "job.conf:3", "workers", "found 5");
  }

  // ---- metrics ---------------------------------------------------------------------------------------

  private static double number(String cell, String column, String row) {
    assertFalse(cell.isEmpty(), () -> column + " is empty: " + row);
    double v = Double.parseDouble(cell);
    assertTrue(Double.isFinite(v), () -> column + " is finite: " + row);
    return v;
  }

  /** Checks the timing columns of one row; returns its cells. */
  private static String[] timedRow(String row) {
    String[] cells = row.split(",", -1);
    assertEquals(12, cells.length, row);
    String[] names = HEADER.split(",");
    for (int c = 6; c < 12; c++) {
      assertTrue(number(cells[c], names[c], row) >= 0, () -> "non-negative: " + row);
    }
    double idle = number(cells[11], "idle_pct", row);
    assertTrue(idle <= 100, () -> "idle_pct at most 100: " + row);
    assertTrue(number(cells[6], "samples_per_s", row) > 0, row);
    return cells;
  }

  @Test
  void metricsEveryStepWritesOneRowPerStep() throws IOException {
    Path csv = dir.resolve("steps.csv");
    // 120 training rows, batch 50: 3 steps per epoch; 2 epochs
    ok("train", "--data", IRIS, "--test-fraction", "0.2", "--batch-size", "50", "--epochs", "2",
        "--shards", "4", "--workers", "2", "--quiet", "--metrics-every-step",
        "--metrics-out", csv.toString());
    List<String> lines = Files.readAllLines(csv);
    assertEquals(HEADER, lines.get(0));
    assertEquals(1 + 6, lines.size(), () -> String.join("\n", lines));
    long wall = 0;
    for (int i = 1; i <= 6; i++) {
      String row = lines.get(i);
      String[] cells = timedRow(row);
      assertEquals(String.valueOf(i), cells[0], row);
      assertEquals(String.valueOf((i + 2) / 3), cells[1], row);
      double loss = number(cells[2], "loss", row);
      assertTrue(loss > 0, row);
      double acc = number(cells[3], "accuracy", row);
      assertTrue(acc >= 0 && acc <= 1, row);
      boolean endsEpoch = i % 3 == 0;
      assertEquals(endsEpoch, !cells[4].isEmpty(), () -> "test_loss only where an epoch ends: " + row);
      assertEquals(endsEpoch, !cells[5].isEmpty(), () -> "test_accuracy only where an epoch ends: " + row);
      long w = Long.parseLong(cells[7]);
      assertTrue(w >= wall, () -> "wall_ms never decreases: " + lines);
      wall = w;
    }
  }

  @Test
  void perEpochMetricsHaveTheTimingColumns() throws IOException {
    Path csv = dir.resolve("epochs.csv");
    ok("train", "--data", IRIS, "--test-fraction", "0.2", "--batch-size", "60", "--epochs", "3",
        "--shards", "6", "--workers", "3", "--quiet", "--metrics-out", csv.toString());
    List<String> lines = Files.readAllLines(csv);
    assertEquals(HEADER, lines.get(0));
    assertEquals(1 + 3, lines.size(), () -> String.join("\n", lines));
    for (int e = 1; e <= 3; e++) {
      String[] cells = timedRow(lines.get(e));
      assertEquals(String.valueOf(2 * e), cells[0], "120 rows, batch 60: 2 steps per epoch");
      assertEquals(String.valueOf(e), cells[1]);
      number(cells[4], "test_loss", lines.get(e));
    }
  }

  @Test
  void theEpochLineShowsWhereTheStepTimeWent() {
    Cli.Result r = ok("train", "--data", IRIS, "--epochs", "2", "--batch-size", "full",
        "--shards", "4", "--workers", "2");
    List<String> epochs = r.out().lines().filter(l -> l.contains("epoch ")).toList();
    assertEquals(2, epochs.size(), r::toString);
    for (String l : epochs) {
      assertTrue(l.matches(".*step: compute \\d+\\.\\d\\d ms, reduce \\d+\\.\\d\\d, broadcast "
          + "\\d+\\.\\d\\d, idle \\d+%.*"), l);
    }
    assertTrue(r.out().contains("4 shards on 2 workers"), r::toString);
  }

  // ---- the small-shard warning ------------------------------------------------------------------------

  @Test
  void smallShardBatchesWarnButTrain() throws IOException {
    Path model = dir.resolve("m.dtrm");
    // 150 rows, batch 64: 3 steps per epoch; 8 shards of about 18 rows give about 6 rows a step
    Cli.Result r = ok("train", "--data", IRIS, "--batch-size", "64", "--shards", "8",
        "--workers", "2", "--epochs", "1", "--save-model", model.toString());
    assertEquals(1, r.err().lines().count(), r::toString);
    String line = r.err().strip();
    assertTrue(line.startsWith("dtrain train: warning: "), line);
    assertTrue(line.contains("8 shards") && line.contains("batch 64") && line.contains("--shards")
        && line.contains("--batch-size"), line);
    assertFalse(line.contains("Exception"), line);
    assertTrue(Files.size(model) > 0, "the model is still written");
  }

  @Test
  void quietSilencesTheWarningAndTinyBatchesDoNotWarn() {
    assertEquals("", ok("train", "--data", IRIS, "--batch-size", "64", "--shards", "8",
        "--epochs", "1", "--quiet").err());
    // batch 16: fewer shards could not give 16 rows each anyway
    assertEquals("", ok("train", "--data", IRIS, "--batch-size", "16", "--shards", "8",
        "--epochs", "1").err());
  }

  @Test
  void noWarningWhenShardBatchesAreLargeEnoughOrFull() {
    // 150 rows, batch 150 over 2 shards: 75 rows each
    assertEquals("", ok("train", "--data", IRIS, "--batch-size", "150", "--shards", "2",
        "--epochs", "1", "--quiet").err());
    assertEquals("", ok("train", "--data", IRIS, "--batch-size", "full", "--shards", "16",
        "--epochs", "1", "--quiet").err(), "full batch: every shard uses all its rows");
    assertEquals("", ok("train", "--data", IRIS, "--batch-size", "4", "--shards", "1",
        "--epochs", "1", "--quiet").err(), "one shard: nothing to split");
  }

  @Test
  void tlsFlagsAreCheckedBeforeAnythingStarts() {
    Cli.assertBadInput(Cli.run("coordinator", "--workers", "1", "--data", IRIS, "--tls"),
        "--keystore", "PKCS12");
    Cli.assertBadInput(Cli.run("coordinator", "--workers", "1", "--data", IRIS, "--tls",
        "--keystore", IRIS, "--truststore", dir.resolve("none.p12").toString()),
        "--truststore", "none.p12");
    Cli.assertBadInput(Cli.run("worker", "--coordinator", "127.0.0.1:25520", "--keystore", IRIS),
        "without --tls");
    Cli.assertBadInput(Cli.run("worker", "--coordinator", "localhost"), "--coordinator", "HOST:PORT");
    Cli.assertBadInput(Cli.run("coordinator", "--data", IRIS), "--workers");
    Cli.assertBadInput(Cli.run("coordinator", "--workers", "1", "--data", IRIS,
        "--wait-for-workers", "soon"), "--wait-for-workers", "soon");
    Cli.assertBadInput(Cli.run("coordinator", "--workers", "1", "--data", IRIS,
        "--data-plane", "udp"), "--data-plane", "netty or artery", "'udp'");
    Cli.assertBadInput(Cli.run("coordinator", "--workers", "1", "--data", IRIS,
        "--data-port", "70000"), "--data-port", "0-65535", "'70000'");
    Cli.assertBadInput(Cli.run("coordinator", "--workers", "1", "--data", IRIS,
        "--step-timeout", "fast"), "--step-timeout", "'fast'");
    Cli.assertBadInput(Cli.run("worker", "--coordinator", "127.0.0.1:25520", "--failure-timeout",
        "-3s"), "--failure-timeout", "'-3s'");
    Cli.assertBadInput(Cli.run("coordinator", "--workers", "2", "--data", IRIS,
        "--min-workers", "3"), "--min-workers", "1 to --workers (2)", "3");
  }

  @Test
  void aDataPortInUseFailsTheCoordinatorNamingIt() throws Exception {
    int free;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      free = s.getLocalPort();
    }
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      Cli.Result r = Cli.run("coordinator", "--workers", "1", "--data", IRIS, "--port",
          String.valueOf(free),
          "--data-port", String.valueOf(taken.getLocalPort()), "--quiet");
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().contains("cannot listen for data links on 127.0.0.1:"
          + taken.getLocalPort()), r.err());
      assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }
  }
}
