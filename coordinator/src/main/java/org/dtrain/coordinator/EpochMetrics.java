package org.dtrain.coordinator;

/**
 * One row of the per-epoch metrics (and of {@code --metrics-out}).
 *
 * @param step optimizer updates so far
 * @param loss mean training loss over the epoch's batches (before each update)
 * @param accuracy training accuracy over the same rows; NaN when not meaningful
 * @param testLoss NaN without test data
 * @param samplesPerS training rows per second of training time in this epoch
 * @param wallMs time since training started
 */
public record EpochMetrics(long step, long epoch, double loss, double accuracy, double testLoss,
    double testAccuracy, double samplesPerS, long wallMs) {

  public static final String CSV_HEADER =
      "step,epoch,loss,accuracy,test_loss,test_accuracy,samples_per_s,wall_ms";

  public String csvRow() {
    return step + "," + epoch + "," + num(loss) + "," + num(accuracy) + "," + num(testLoss) + ","
        + num(testAccuracy) + "," + String.format(java.util.Locale.ROOT, "%.1f", samplesPerS) + ","
        + wallMs;
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(java.util.Locale.ROOT, "%.6g", v);
  }
}
