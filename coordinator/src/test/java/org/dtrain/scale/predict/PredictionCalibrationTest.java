package org.dtrain.scale.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Calibration against a "true" model whose κ and o are known: fitted on 1 worker, it must find
 * them and then predict 2 workers, which it never saw.
 */
class PredictionCalibrationTest {
  private static final ComputeProfile PROFILE =
      StepModelTest.profile(30_000, 13_000, 0.15, 0.4, 0.2, 0.1, 0.6);
  private static final StepConfig ONE = StepConfig.of(1, 16, 256, 235_146, Placement.oneJvm(2));

  private static MeasuredStep measure(StepModel truth, StepConfig cfg) {
    StepPrediction p = truth.predict(cfg);
    return new MeasuredStep(cfg, p.stepMs(), p.computeNanos() / 1e6, p.reduceNanos() / 1e6,
        p.broadcastNanos() / 1e6);
  }

  @Test
  void findsComputeScaleAndOverheadFromOneConfiguration() {
    StepModel truth = new StepModel(new CostModel(PROFILE, 1.3, 7_500));
    Calibration c = Calibration.fit(PROFILE, measure(truth, ONE));
    assertEquals(1.3, c.costs().computeScale(), 1e-4);
    assertEquals(7_500, c.costs().messageOverheadNanos(), 1);
    assertEquals(0, c.unexplainedMs(), 1e-5);
    assertEquals(0, c.unexplainedComputeMs(), 1e-4);
    StepConfig two = ONE.withWorkers(2);
    assertEquals(truth.predict(two).stepNanos(), c.model().predict(two).stepNanos(),
        1e-4 * truth.predict(two).stepNanos());
    StepConfig slowNet = two.withNetwork(NetworkSpec.of(200, 10));
    assertEquals(truth.predict(slowNet).stepNanos(), c.model().predict(slowNet).stepNanos(),
        1e-4 * truth.predict(slowNet).stepNanos());
  }

  @Test
  void withoutMeasuredComputeTheScaleStaysOne() {
    StepModel truth = new StepModel(new CostModel(PROFILE, 1, 2_000));
    Calibration c = Calibration.fit(PROFILE, MeasuredStep.ofStep(ONE, truth.predict(ONE).stepMs()));
    assertEquals(1, c.costs().computeScale());
    assertEquals(2_000, c.costs().messageOverheadNanos(), 1);
    assertTrue(Double.isNaN(c.unexplainedComputeMs()));
  }

  @Test
  void aStepFasterThanTheProfileLeavesOverheadZeroAndSaysSo() {
    double floor = new StepModel(CostModel.uncalibrated(PROFILE)).predict(ONE).stepMs();
    Calibration c = Calibration.fit(PROFILE, MeasuredStep.ofStep(ONE, 0.8 * floor));
    assertEquals(0, c.costs().messageOverheadNanos());
    assertTrue(c.unexplainedMs() < 0, "unexplained " + c.unexplainedMs());
    assertEquals(-0.2 * floor, c.unexplainedMs(), 1e-6);
  }

  @Test
  void aComputeBelowTheProfilesAddsIsReportedNotHidden() {
    // 15 adds of P floats at 5 ns/float are 17.6 ms on the worker: a 1 ms compute cannot be fitted
    ComputeProfile heavyAdds = StepModelTest.profile(30_000, 13_000, 5, 0.4, 0.2, 0.1, 0.6);
    StepConfig seq = ONE.withPlacement(Placement.cluster(1));
    Calibration c = Calibration.fit(heavyAdds, new MeasuredStep(seq, 30, 1, Double.NaN, Double.NaN));
    assertEquals(1e-3, c.costs().computeScale());
    assertTrue(c.unexplainedComputeMs() < -10, "unexplained " + c.unexplainedComputeMs());
  }

  @Test
  void theMeasuredBackgroundOfTheJvmsGoesIntoTheCostsAsItIs() {
    StepConfig one = StepConfig.of(1, 16, 256, 235_146, Placement.processes(2).withThreads(1));
    StepModel truth = new StepModel(new CostModel(PROFILE, 1.3, 100_000, 1_500_000)
        .withBackground(2_000_000, 4_500_000));
    StepPrediction p = truth.predict(one);
    MeasuredStep seen = new MeasuredStep(one, p.stepMs(), p.computeNanos() / 1e6, Double.NaN,
        Double.NaN, 2.0, 4.5);
    Calibration c = Calibration.fitStepOverhead(PROFILE, 100_000, seen);
    assertEquals(2_000_000, c.costs().coordinatorBackgroundNanos(), 1e-6);
    assertEquals(4_500_000, c.costs().workerBackgroundNanos(), 1e-6);
    assertEquals(1.3, c.costs().computeScale(), 1e-3);
    assertEquals(1_500_000, c.costs().stepOverheadNanos(), 2_000);
    StepConfig two = one.withWorkers(2);
    assertEquals(truth.predict(two).stepNanos(), c.model().predict(two).stepNanos(),
        1e-3 * truth.predict(two).stepNanos());
    // not knowing it, the fit hides the background in κ and s, which a second worker process
    // does not repeat: two workers come out too fast
    Calibration blind = Calibration.fitStepOverhead(PROFILE, 100_000,
        new MeasuredStep(one, p.stepMs(), p.computeNanos() / 1e6, Double.NaN, Double.NaN));
    assertTrue(blind.model().predict(two).stepNanos() < 0.9 * truth.predict(two).stepNanos(),
        blind.model().predict(two).stepMs() + " ms against " + truth.predict(two).stepMs());
  }

  @Test
  void withProcessesTheBackgroundIsChargedPerMillisecondOfTheStep() {
    // batch 4096: compute dominates, so a second worker process makes the step shorter
    StepConfig one = StepConfig.of(1, 16, 4096, 235_146, Placement.processes(2).withThreads(1));
    StepPrediction p = new StepModel(new CostModel(PROFILE, 1.3, 100_000, 1_500_000)
        .withBackground(2_000_000, 4_500_000)).predict(one);
    Calibration c = Calibration.fitStepOverhead(PROFILE, 100_000, new MeasuredStep(one,
        p.stepMs(), p.computeNanos() / 1e6, Double.NaN, Double.NaN, 2.0, 4.5));
    // the calibration point is its own fixed point
    assertEquals(p.stepNanos(), c.predict(one).stepNanos(), 1e-3 * p.stepNanos());

    StepConfig two = one.withWorkers(2);
    StepPrediction perStep = c.model().predict(two);
    StepPrediction perMs = c.predict(two);
    assertTrue(perStep.stepNanos() < p.stepNanos(), "two workers step faster than one");
    assertTrue(perMs.stepNanos() < perStep.stepNanos(),
        "a shorter step carries less background: " + perMs.stepMs() + " against "
            + perStep.stepMs() + " ms");
    // charged at the calibration's rate for its own step time, the model gives that step time
    double share = (double) perMs.stepNanos() / p.stepNanos();
    StepPrediction again = new StepModel(c.costs().withBackground(2_000_000 * share,
        4_500_000 * share)).predict(two);
    assertEquals(perMs.stepNanos(), again.stepNanos(), 2e-4 * perMs.stepNanos());
    StepPrediction none = new StepModel(c.costs().withBackground(0, 0)).predict(two);
    assertTrue(perMs.stepNanos() > none.stepNanos(), "some background is still charged");

    // in one JVM (and in a cluster) no background is charged, so nothing changes
    StepConfig inOneJvm = two.withPlacement(Placement.oneJvm(2).withThreads(1));
    assertEquals(c.model().predict(inOneJvm).stepNanos(), c.predict(inOneJvm).stepNanos());
  }

  @Test
  void aBackgroundThatWouldFillTheMachineIsChargedPerStepNotAsARate() {
    // a tiny model: 40 ms of background per 3 ms step; as a rate it would feed on itself
    StepConfig one = StepConfig.of(1, 4, 32, 100, Placement.processes(2).withThreads(1));
    StepPrediction p = new StepModel(new CostModel(PROFILE, 1, 10_000, 0)
        .withBackground(10_000_000, 30_000_000)).predict(one);
    Calibration c = Calibration.fitStepOverhead(PROFILE, 10_000, new MeasuredStep(one,
        3.0, p.computeNanos() / 1e6, Double.NaN, Double.NaN, 10.0, 30.0));
    StepConfig two = one.withWorkers(2);
    assertEquals(c.model().predict(two).stepNanos(), c.predict(two).stepNanos());
  }
}
