package org.dtrain.scale.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionValidationTest {
  private static final ComputeProfile PROFILE =
      StepModelTest.profile(30_000, 13_000, 0.15, 0.4, 0.2, 0.1, 0.6);
  private static final StepConfig ONE = StepConfig.of(1, 16, 256, 235_146, Placement.oneJvm(2));

  @Test
  void relativeErrorPerConfigurationAgainstFifteenPercent() {
    StepModel truth = new StepModel(new CostModel(PROFILE, 1.2, 4_000));
    Calibration cal = Calibration.fit(PROFILE, MeasuredStep.ofStep(ONE, truth.predict(ONE).stepMs()));
    StepConfig two = ONE.withWorkers(2);
    StepConfig twoSlow = two.withNetwork(NetworkSpec.of(200, 10));
    double predicted = cal.model().predict(two).stepMs();
    double predictedSlow = cal.model().predict(twoSlow).stepMs();
    List<ValidationRow> rows = Validation.validate(cal, List.of(
        MeasuredStep.ofStep(ONE, truth.predict(ONE).stepMs()),
        MeasuredStep.ofStep(two, predicted * 1.10),        // |p - m| / m = 0.1 / 1.1
        MeasuredStep.ofStep(twoSlow, predictedSlow / 0.8))); // 0.25 p / 1.25 p
    assertTrue(rows.get(0).calibrationPoint());
    assertFalse(rows.get(1).calibrationPoint());
    assertEquals(0, rows.get(0).relativeError(), 1e-5, "o is fitted to the ns");
    assertEquals(0.1 / 1.1, rows.get(1).relativeError(), 1e-9);
    assertTrue(rows.get(1).withinTolerance());
    assertEquals(0.2, rows.get(2).relativeError(), 1e-9);
    assertFalse(rows.get(2).withinTolerance());
    assertFalse(Validation.allWithin(rows));
    assertTrue(Validation.allWithin(rows.subList(0, 2)));
    assertEquals(predicted, rows.get(1).predictedMs());
  }
}
