package org.dtrain.scale.predict;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks predictions against measured runs (issue 6: within 15% of the measured median step time
 * for every configuration this machine can run).
 */
public final class Validation {
  /** The largest relative error of the step time that passes: 15%. */
  public static final double TOLERANCE = 0.15;

  private Validation() {}

  /** Predicts each measured configuration with the calibrated model and compares step times. */
  public static List<ValidationRow> validate(Calibration calibration, List<MeasuredStep> measured) {
    List<ValidationRow> out = new ArrayList<>(measured.size());
    for (MeasuredStep m : measured) {
      StepPrediction p = calibration.predict(m.config());
      double err = Math.abs(p.stepMs() - m.stepMsP50()) / m.stepMsP50();
      out.add(new ValidationRow(m, p, err, err <= TOLERANCE,
          m.config().equals(calibration.on().config())));
    }
    return out;
  }

  /** Whether every row is within the tolerance. */
  public static boolean allWithin(List<ValidationRow> rows) {
    return rows.stream().allMatch(ValidationRow::withinTolerance);
  }
}
