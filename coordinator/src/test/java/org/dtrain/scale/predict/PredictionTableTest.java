package org.dtrain.scale.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionTableTest {
  private static final StepModel MODEL = new StepModel(new CostModel(
      StepModelTest.profile(30_000, 13_000, 0.15, 0.4, 0.2, 0.1, 0.6), 1.1, 5_000));
  private static final StepConfig BASE = StepConfig.of(1, 16, 4096, 235_146, Placement.cluster(2));
  private static final List<NetworkSpec> NETS = List.of(NetworkSpec.of(50, 1), NetworkSpec.of(50, 10));
  private static final List<Reduction> REDS = List.of(Reduction.star(), Reduction.tree(2));

  @Test
  void everyConfigurationOnceWithSpeedupAndEfficiencyAgainstOneWorker() {
    Sweep sweep = new Sweep(Sweep.powersOfTwo(1024), REDS, NETS, Sweep.Scaling.STRONG, true);
    PredictionTable t = PredictionTable.predict(MODEL, BASE, sweep);
    assertEquals(11 * 2 * 2, t.rows().size());
    for (Prediction p : t.rows()) {
      assertEquals(Math.max(16, p.workers()), p.shards(), "shards = max(S, K)");
      assertEquals(4096, p.globalBatch());
      assertEquals(p.speedup() / p.workers(), p.efficiency(), 1e-12);
      assertEquals(4096 / (p.step().stepNanos() / 1e9), p.samplesPerS(), 1e-6);
    }
    for (NetworkSpec n : NETS) {
      for (Reduction r : REDS) assertEquals(1.0, t.row(1, r, n).speedup(), 1e-12);
      // the star's coordinator sends K copies of the weights: at 1024 workers it is far from ideal
      assertTrue(t.row(1024, Reduction.star(), n).efficiency() < 0.5);
    }
    assertTrue(t.row(1024, Reduction.star(), NETS.get(0)).samplesPerS()
        < t.row(1024, Reduction.star(), NETS.get(1)).samplesPerS(), "10 Gbit beats 1 Gbit");
  }

  @Test
  void tablesAreDeterministic() {
    Sweep sweep = new Sweep(List.of(1, 3, 64), REDS, NETS, Sweep.Scaling.STRONG, true);
    assertEquals(PredictionTable.predict(MODEL, BASE, sweep), PredictionTable.predict(MODEL, BASE, sweep));
  }

  @Test
  void theShardCountCapsUsefulWorkers() {
    Sweep sweep = new Sweep(List.of(16, 32, 64), List.of(Reduction.star()), List.of(NetworkSpec.none()),
        Sweep.Scaling.STRONG, false);
    PredictionTable t = PredictionTable.predict(MODEL, BASE, sweep);
    double at16 = t.rows().get(0).samplesPerS();
    for (Prediction p : t.rows()) {
      assertEquals(16, p.step().activeWorkers());
      assertEquals(at16, p.samplesPerS(), 1e-9, p.workers() + " workers");
    }
  }

  @Test
  void weakScalingGrowsTheBatchWithTheWorkers() {
    Sweep sweep = new Sweep(List.of(1, 4, 8), List.of(Reduction.star()), List.of(NetworkSpec.none()),
        Sweep.Scaling.WEAK, true);
    PredictionTable t = PredictionTable.predict(MODEL, BASE.withGlobalBatch(256), sweep);
    assertEquals(List.of(256, 1024, 2048), t.rows().stream().map(Prediction::globalBatch).toList());
  }
}
