package org.dtrain.scale.predict;

/**
 * One row of a {@link PredictionTable}.
 *
 * @param step the predicted step, with its configuration and breakdown
 * @param samplesPerS B / step time, rows per second
 * @param speedup samples/s over those of 1 worker with the same reduction and network
 * @param efficiency speedup / K
 */
public record Prediction(StepPrediction step, double samplesPerS, double speedup,
    double efficiency) {

  public int workers() {
    return step.config().workers();
  }

  public int shards() {
    return step.config().shards();
  }

  public int globalBatch() {
    return step.config().globalBatch();
  }

  public Reduction reduction() {
    return step.config().reduction();
  }

  public NetworkSpec network() {
    return step.config().network();
  }
}
