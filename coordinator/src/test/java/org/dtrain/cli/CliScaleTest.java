package org.dtrain.cli;

import static org.dtrain.cli.Cli.assertBadInput;
import static org.dtrain.cli.Cli.ok;
import static org.dtrain.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dtrain scale} end to end on bundled data, in one JVM. */
class CliScaleTest {
  @TempDir Path dir;

  @Test
  void strongScalingWritesResultsChartsAndTheSameWeightsPerGlobalBatch() throws Exception {
    Path out = dir.resolve("strong");
    Cli.Result r = ok("scale", "--data", Cli.DIGITS, "--layers", "auto,32,auto",
        "--workers", "1,2,3", "--batch-sizes", "64,256", "--warmup", "2", "--steps", "6",
        "--out", out.toString());
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(7, csv.size(), String.join("\n", csv));
    assertTrue(csv.get(0).startsWith("workers,shards,global_batch,samples_per_s,"));
    for (int batch : new int[] {64, 256}) {
      List<String[]> rows = csv.stream().skip(1).map(l -> l.split(","))
          .filter(c -> c[2].equals(String.valueOf(batch))).toList();
      assertEquals(3, rows.size());
      for (String[] c : rows) {
        assertEquals("16", c[1], "shards");
        assertEquals(rows.get(0)[13], c[13], "the same weights on " + c[0] + " workers");
        assertTrue(Double.parseDouble(c[3]) > 0, "samples/s");
        assertTrue(Long.parseLong(c[10]) > 0, "bytes per step");
      }
      assertEquals(1.0, Double.parseDouble(rows.get(0)[11]), 1e-9, "speedup of the first row");
    }
    for (String f : List.of("throughput.svg", "throughput.png", "step-breakdown.svg",
        "step-breakdown.png", "summary.md")) {
      assertTrue(Files.size(out.resolve(f)) > 200, f);
    }
    assertTrue(r.out().contains("global batch 64: the same weights on 1, 2, 3 workers"), r.out());
    assertTrue(Files.readString(out.resolve("summary.md")).contains("bit-identical weights"));

    List<String> validation = Files.readAllLines(out.resolve("validation.csv"));
    assertEquals("workers,shards,global_batch,reduction,network,measured_step_ms,"
        + "predicted_step_ms,error_pct,within_15pct,calibration", validation.get(0));
    assertEquals(7, validation.size());
    for (int i = 1; i <= 6; i++) {
      String[] c = validation.get(i).split(",");
      assertTrue(Double.parseDouble(c[6]) > 0, "a predicted step time: " + validation.get(i));
      assertEquals(c[0].equals("1") ? "true" : "false", c[9],
          "the fewest workers of each batch size calibrate: " + validation.get(i));
    }
    assertTrue(Files.size(out.resolve("predicted-vs-measured.svg")) > 200);
    assertTrue(Files.readString(out.resolve("summary.md")).contains("## Predicted against measured"));
  }

  @Test
  void predictWritesCurvesForStarAndTreeToManyWorkers() throws Exception {
    Path out = dir.resolve("predict");
    Cli.Result r = ok("scale", "--predict", "--data", Cli.DIGITS, "--layers", "auto,32,auto",
        "--workers", "1..64", "--mode", "weak", "--batch-sizes", "32", "--warmup", "1",
        "--steps", "4", "--fan-in", "4", "--out", out.toString());
    List<String> csv = Files.readAllLines(out.resolve("predicted.csv"));
    assertTrue(csv.get(0).startsWith("workers,shards,global_batch,reduction,network,step_ms,"));
    // 7 worker counts x (star, tree) x (1 Gbit, 10 Gbit)
    assertEquals(1 + 7 * 2 * 2, csv.size(), String.join("\n", csv));
    assertTrue(csv.stream().anyMatch(l -> l.startsWith("64,64,2048,tree(4),10Gbit 50us,")), csv.toString());
    for (String f : List.of("predicted-throughput.svg", "predicted-efficiency.png", "summary.md")) {
      assertTrue(Files.size(out.resolve(f)) > 200, f);
    }
    assertTrue(r.out().contains("calibrated on 1 workers"), r.out());
  }

  @Test
  void weakScalingGrowsTheGlobalBatch() throws Exception {
    Path out = dir.resolve("weak");
    Cli.Result r = ok("scale", "--data", Cli.IRIS, "--layers", "auto,8,auto", "--mode", "weak",
        "--workers", "1..4", "--batch-sizes", "16", "--shards", "4", "--warmup", "1",
        "--steps", "3", "--rounds", "2", "--out", out.toString());
    assertTrue(r.out().contains("[round 2/2, 3/3] 4 workers"), r.out());
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(List.of("1", "2", "4"), csv.stream().skip(1).map(l -> l.split(",")[0]).toList());
    assertEquals(List.of("16", "32", "64"), csv.stream().skip(1).map(l -> l.split(",")[2]).toList());
  }

  @Test
  void workerProcessesTrainTheSameWeightsAsActorsInOneJvm() throws Exception {
    String[] job = {"--data", Cli.DIGITS, "--layers", "auto,16,auto", "--workers", "1,2",
        "--batch-sizes", "128", "--warmup", "1", "--steps", "4"};
    Path inJvm = dir.resolve("jvm");
    Path procs = dir.resolve("procs");
    ok(concat(new String[] {"scale"}, job, "--out", inJvm.toString()));
    Cli.Result r = ok(concat(new String[] {"scale", "--processes"}, job, "--out", procs.toString()));
    List<String> a = Files.readAllLines(inJvm.resolve("results.csv"));
    List<String> b = Files.readAllLines(procs.resolve("results.csv"));
    for (int i = 1; i <= 2; i++) {
      assertEquals(a.get(i).substring(a.get(i).lastIndexOf(',')),
          b.get(i).substring(b.get(i).lastIndexOf(',')), "model_sha256 of row " + i);
    }
    assertTrue(Files.exists(procs.resolve("logs/worker-1.log")), r.out());
    assertTrue(Files.readString(procs.resolve("summary.md")).contains("`dtrain worker` processes"));
  }

  private static String[] concat(String[] head, String[] mid, String... tail) {
    List<String> all = new java.util.ArrayList<>(List.of(head));
    all.addAll(List.of(mid));
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  @Test
  void theDefaultWarmUpFillsAboutTwoSecondsTheSameForEveryConfiguration() throws Exception {
    Path out = dir.resolve("auto");
    Cli.Result r = ok("scale", "--data", Cli.IRIS, "--layers", "auto,8,auto", "--workers", "1,2",
        "--batch-sizes", "32", "--shards", "4", "--steps", "3", "--out", out.toString());
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("warm-up: (\\d+) steps per configuration \\(--warmup auto").matcher(r.out());
    assertTrue(m.find(), r.out());
    long steps = Long.parseLong(m.group(1));
    // iris steps take well under 2 s / 5, so auto picks more than its minimum
    assertTrue(steps > org.dtrain.scale.Warmup.AUTO_MIN_STEPS
        && steps <= org.dtrain.scale.Warmup.AUTO_MAX_STEPS, r.out());
    assertTrue(r.out().contains("1 workers, 4 shards, global batch 32: " + steps + " warm-up + 3 steps"),
        r.out());
    assertTrue(r.out().contains("2 workers, 4 shards, global batch 32: " + steps + " warm-up + 3 steps"),
        r.out());
    assertTrue(Files.readString(out.resolve("summary.md"))
        .contains(steps + " warm-up and 3 measured steps each"));
  }

  @Test
  void badInput() {
    String o = dir.resolve("x").toString();
    assertBadInput(run("scale", "--workers", "1,zero", "--out", o), "--workers", "'zero'");
    assertBadInput(run("scale", "--workers", "8..2", "--out", o), "--workers", "'8..2'");
    assertBadInput(run("scale", "--batch-sizes", "0", "--out", o), "--batch-sizes", "'0'");
    assertBadInput(run("scale", "--mode", "both", "--out", o), "--mode", "strong or weak", "'both'");
    assertBadInput(run("scale", "--batch-size", "64", "--out", o), "--batch-size", "--batch-sizes");
    assertBadInput(run("scale", "--epochs", "3", "--out", o), "--epochs");
    assertBadInput(run("scale", "--steps", "0", "--out", o), "--steps", "found 0");
    assertBadInput(run("scale", "--warmup", "-1", "--out", o), "--warmup", "or auto", "found -1");
    assertBadInput(run("scale", "--warmup", "long", "--out", o), "--warmup", "or auto", "found long");
    assertBadInput(run("scale", "--rounds", "0", "--out", o), "--rounds", "found 0");
    assertBadInput(run("scale", "--workers", "1"), "--out");
  }

  @Test
  void aSimulatedNetworkSlowsTheStepsButKeepsTheWeights() throws Exception {
    String[] job = {"--data", Cli.IRIS, "--layers", "auto,8,auto", "--workers", "1,2",
        "--batch-sizes", "32", "--shards", "4", "--warmup", "1", "--steps", "5"};
    Path plain = dir.resolve("plain");
    Path slow = dir.resolve("slow");
    ok(concat(new String[] {"scale"}, job, "--out", plain.toString()));
    ok(concat(new String[] {"scale"}, job, "--out", slow.toString(), "--sim-latency", "3ms",
        "--sim-bandwidth", "1Gbit", "--sim-slow-worker", "1:2x"));
    List<String> a = Files.readAllLines(plain.resolve("results.csv"));
    List<String> b = Files.readAllLines(slow.resolve("results.csv"));
    for (int i = 1; i <= 2; i++) {
      String[] x = a.get(i).split(",");
      String[] y = b.get(i).split(",");
      assertEquals(x[13], y[13], "the same weights with and without the simulation");
      assertTrue(Double.parseDouble(y[4]) >= 6.0, "a step waits two latencies: " + b.get(i));
    }
    assertTrue(Files.readString(slow.resolve("summary.md")).contains("latency 3ms"));
  }

  @Test
  void simulationAndProcessesDoNotMix() {
    assertBadInput(run("scale", "--processes", "--sim-latency", "1ms", "--out",
        dir.resolve("x").toString()), "--processes", "--sim");
    assertBadInput(run("scale", "--workers", "1,2", "--sim-slow-worker", "2:3x", "--out",
        dir.resolve("x").toString()), "--sim-slow-worker");
  }

  @Test
  void treeReductionMeasuresTheSameWeightsAsStar() throws Exception {
    String[] job = {"--data", Cli.IRIS, "--layers", "auto,8,auto", "--workers", "3",
        "--batch-sizes", "32", "--shards", "6", "--warmup", "1", "--steps", "4"};
    Path star = dir.resolve("star");
    Path tree = dir.resolve("tree");
    ok(concat(new String[] {"scale"}, job, "--out", star.toString()));
    ok(concat(new String[] {"scale"}, job, "--out", tree.toString(), "--reduction", "tree"));
    String a = Files.readAllLines(star.resolve("results.csv")).get(1);
    String b = Files.readAllLines(tree.resolve("results.csv")).get(1);
    assertEquals(a.substring(a.lastIndexOf(',')), b.substring(b.lastIndexOf(',')));
    assertBadInput(run("scale", "--reduction", "tree", "--processes", "--out",
        dir.resolve("x").toString()), "--reduction tree", "star");
  }

  @Test
  void outMustNotBeAFile() throws Exception {
    Path f = Files.writeString(dir.resolve("file"), "x");
    assertBadInput(run("scale", "--out", f.toString()), "--out", "expected a directory");
  }
}
