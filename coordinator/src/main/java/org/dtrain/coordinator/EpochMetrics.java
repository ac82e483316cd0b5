package org.dtrain.coordinator;

import java.util.Locale;

/**
 * One row of the metrics: of an epoch (the per-epoch lines and {@code --metrics-out}), or of a single
 * step ({@code --metrics-every-step}).
 *
 * @param step optimizer updates so far
 * @param loss mean training loss over the row's batches (before each update)
 * @param accuracy training accuracy over the same rows; NaN when not meaningful
 * @param testLoss NaN without test data, and on step rows that do not end an epoch
 * @param samplesPerS training rows per second of training time
 * @param wallMs time since training started
 * @param computeMs per step: the slowest worker's compute time (mean over the row's steps)
 * @param reduceMs per step: coordinator time adding partials, dividing and updating
 * @param broadcastMs per step: time sending and assembling the weights
 * @param idlePct share of the step time the workers, on average, did not compute
 * @param samples training rows of the row's steps
 * @param stepMs mean wall time of the row's steps
 * @param learningRate the learning rate of the row's last step
 */
public record EpochMetrics(long step, long epoch, double loss, double accuracy, double testLoss,
    double testAccuracy, double samplesPerS, long wallMs, double computeMs, double reduceMs,
    double broadcastMs, double idlePct, long samples, double stepMs, double learningRate) {

  public static final String CSV_HEADER = "step,epoch,loss,accuracy,test_loss,test_accuracy,"
      + "samples_per_s,wall_ms,compute_ms,reduce_ms,broadcast_ms,idle_pct";

  public String csvRow() {
    return step + "," + epoch + "," + num(loss) + "," + num(accuracy) + "," + num(testLoss) + ","
        + num(testAccuracy) + "," + String.format(Locale.ROOT, "%.1f", samplesPerS) + ","
        + wallMs + "," + ms(computeMs) + "," + ms(reduceMs) + "," + ms(broadcastMs) + ","
        + String.format(Locale.ROOT, "%.1f", idlePct);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
