package org.dtrain.scale.predict;

/**
 * A measured configuration next to its prediction.
 *
 * @param relativeError |predicted - measured| / measured, of the median step time
 * @param withinTolerance relativeError ≤ {@link Validation#TOLERANCE}
 * @param calibrationPoint this is the configuration the costs were fitted to: its error shows the
 *     fit, not the model's power to predict
 */
public record ValidationRow(MeasuredStep measured, StepPrediction predicted, double relativeError,
    boolean withinTolerance, boolean calibrationPoint) {

  public double measuredMs() {
    return measured.stepMsP50();
  }

  public double predictedMs() {
    return predicted.stepMs();
  }
}
