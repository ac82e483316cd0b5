package org.dtrain.nn;

/**
 * What a pass over some rows yields besides the gradient: the row count, the loss summed over the rows
 * (not averaged) and the number of rows predicted right.
 */
public record BatchStats(int samples, double lossSum, long correct) {
  public static final BatchStats EMPTY = new BatchStats(0, 0, 0);

  public BatchStats plus(BatchStats o) {
    return new BatchStats(samples + o.samples, lossSum + o.lossSum, correct + o.correct);
  }

  public double meanLoss() {
    return samples == 0 ? Double.NaN : lossSum / samples;
  }

  public double accuracy() {
    return samples == 0 ? Double.NaN : (double) correct / samples;
  }
}
