package org.dtrain.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dtrain.coordinator.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaleReportTest {
  @TempDir Path dir;

  private static ScaleRow row(int k, int batch, double samplesPerS, String sha) {
    return new ScaleRow(k, 16, batch, samplesPerS, 10, 12, 6, 1, 2, 20, 1000 * k, Double.NaN,
        Double.NaN, sha);
  }

  @Test
  void speedupAndEfficiencyAgainstTheFewestWorkersOfEachBatch() {
    ScalePlan plan = ScalePlan.of(ScalePlan.Mode.STRONG, List.of(1, 2, 4), List.of(64, 256), 16);
    ScaleReport r = ScaleReport.of(plan, List.of(row(1, 64, 100, "a"), row(2, 64, 180, "a"),
        row(4, 64, 300, "a"), row(1, 256, 400, "b"), row(2, 256, 800, "b"), row(4, 256, 1200, "b")));
    assertEquals(1.8, r.rows().get(1).speedup(), 1e-12);
    assertEquals(0.9, r.rows().get(1).efficiency(), 1e-12);
    assertEquals(0.75, r.rows().get(2).efficiency(), 1e-12);
    assertEquals(1.0, r.rows().get(3).speedup(), 1e-12);
    assertEquals(3.0, r.rows().get(5).speedup(), 1e-12);
    assertTrue(r.invariantHolds());
    assertEquals(2, r.invariantLines().size());
    assertTrue(r.invariantLines().get(0).startsWith("global batch 64: the same weights on 1, 2, 4"));
  }

  @Test
  void differentWeightsForOneGlobalBatchBreakTheInvariant() {
    ScalePlan plan = ScalePlan.of(ScalePlan.Mode.STRONG, List.of(1, 2), List.of(64), 16);
    ScaleReport r = ScaleReport.of(plan, List.of(row(1, 64, 100, "a".repeat(64)),
        row(2, 64, 150, "b".repeat(64))));
    assertFalse(r.invariantHolds());
    assertTrue(r.invariantLines().get(0).contains("DIFFERENT weights"), r.invariantLines().get(0));
  }

  @Test
  void roundsGiveTheMedianOfEveryColumnAndMustTrainTheSameWeights() {
    ScaleRow a = new ScaleRow(2, 16, 64, 100, 10, 12, 6, 1, 2, 20, 1000, Double.NaN, Double.NaN,
        "s", 1, 2);
    ScaleRow b = new ScaleRow(2, 16, 64, 300, 30, 32, 8, 3, 4, 40, 3000, Double.NaN, Double.NaN,
        "s", 3, 4);
    ScaleRow c = new ScaleRow(2, 16, 64, 200, 20, 22, 7, 2, 3, 30, 2000, Double.NaN, Double.NaN,
        "s", 2, 3);
    ScaleRow m = ScaleRow.medianOf(List.of(a, b, c));
    assertEquals(200, m.samplesPerS());
    assertEquals(20, m.stepMsP50());
    assertEquals(7, m.computeMs());
    assertEquals(2000, m.bytesPerStep());
    assertEquals("s", m.modelSha256());
    assertTrue(m.roundsAgree());

    ScaleRow d = new ScaleRow(2, 16, 64, 200, 20, 22, 7, 2, 3, 30, 2000, Double.NaN, Double.NaN,
        "t", 2, 3);
    ScaleRow broken = ScaleRow.medianOf(List.of(a, d));
    assertEquals("s/t", broken.modelSha256());
    ScalePlan plan = ScalePlan.of(ScalePlan.Mode.STRONG, List.of(2), List.of(64), 16);
    ScaleReport r = ScaleReport.of(plan, List.of(broken));
    assertFalse(r.invariantHolds());
    assertTrue(r.invariantLines().get(0).contains("in the rounds of one configuration"),
        r.invariantLines().toString());
  }

  @Test
  void weakRowsOfDifferentGlobalBatchesNeedNotAgree() {
    ScalePlan plan = ScalePlan.of(ScalePlan.Mode.WEAK, List.of(1, 2), List.of(64), 16);
    ScaleReport r = ScaleReport.of(plan, List.of(row(1, 64, 100, "a"), row(2, 128, 190, "b")));
    assertTrue(r.invariantHolds());
    assertEquals(0.95, r.rows().get(1).efficiency(), 1e-12);
  }

  @Test
  void csvHasTheNamedColumnsAndChartsAreWritten() throws Exception {
    ScalePlan plan = ScalePlan.of(ScalePlan.Mode.STRONG, List.of(1, 2), List.of(64), 16);
    ScaleReport r = ScaleReport.of(plan, List.of(row(1, 64, 100, "a"), row(2, 64, 150, "a")));
    r.writeCsv(dir.resolve("results.csv"));
    List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
    assertEquals("workers,shards,global_batch,samples_per_s,step_ms_p50,step_ms_p95,compute_ms,"
        + "reduce_ms,broadcast_ms,idle_pct,bytes_per_step,speedup,efficiency,model_sha256",
        lines.get(0));
    assertEquals("2,16,64,150.0,10.000,12.000,6.000,1.000,2.000,20.0,2000,1.500,0.750,a",
        lines.get(2));
    List<Path> files = r.writeCharts(dir);
    assertEquals(4, files.size());
    for (Path f : files) assertTrue(Files.size(f) > 500, f.toString());
    String svg = Files.readString(dir.resolve("throughput.svg"));
    assertTrue(svg.contains("ideal"), "the ideal line is labelled");
  }

  @Test
  void measuredStepsLeaveOutTheWarmupAndTakeMedians() {
    MeasuredSteps m = new MeasuredSteps(2);
    long bytes = 0;
    double[] stepMs = {50, 40, 10, 12, 11, 30, 13};
    for (int s = 1; s <= stepMs.length; s++) {
      bytes += 1000 + s; // per step: 1000 + s bytes
      m.step(new EpochMetrics(s, 0, 1, 0.5, Double.NaN, Double.NaN, 0, 0, stepMs[s - 1] / 2, 1, 1,
          20, 100, stepMs[s - 1], 0.1), bytes);
    }
    assertEquals(5, m.count());
    ScaleRow r = m.row(2, 16, 100, "x");
    assertEquals(12, r.stepMsP50(), 1e-12);  // of 10, 12, 11, 30, 13
    assertEquals(30, r.stepMsP95(), 1e-12);
    assertEquals(6, r.computeMs(), 1e-12);
    assertEquals(500 / (76 / 1e3), r.samplesPerS(), 1e-6);
    assertEquals(1005, r.bytesPerStep()); // median of 1003..1007
  }
}
