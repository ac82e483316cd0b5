package org.dtrain.coordinator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.dtrain.chart.Charts;
import org.dtrain.chart.LineChart;
import org.dtrain.chart.Series;

/**
 * {@code --plots}: {@code loss.png} and {@code loss.svg}, the training loss against step on the left
 * axis and the accuracy on the right (0 to 1), with the test metrics of every epoch as markers.
 */
public final class LossPlot {
  private LossPlot() {}

  /**
   * @param steps per-step rows (or per-epoch rows when that is all there is), oldest first
   * @param epochs the per-epoch rows, whose test columns are filled
   * @return the files written
   */
  public static List<Path> write(Path dir, List<EpochMetrics> steps, List<EpochMetrics> epochs)
      throws IOException {
    LineChart.Builder b = LineChart.builder("Training").xLabel("step").yLabel("loss");
    b.add(Series.line("training loss", column(steps, r -> r.step()), column(steps, EpochMetrics::loss)));
    if (any(epochs, EpochMetrics::testLoss)) {
      b.add(Series.points("test loss", column(epochs, r -> r.step()),
          column(epochs, EpochMetrics::testLoss)));
    }
    boolean accuracy = any(steps, EpochMetrics::accuracy);
    if (accuracy) {
      b.rightLabel("accuracy").includeRight(0, 1);
      b.add(Series.line("training accuracy", column(steps, r -> r.step()),
          column(steps, EpochMetrics::accuracy)).withAxis(Series.YAxis.RIGHT));
      if (any(epochs, EpochMetrics::testAccuracy)) {
        b.add(Series.points("test accuracy", column(epochs, r -> r.step()),
            column(epochs, EpochMetrics::testAccuracy)).withAxis(Series.YAxis.RIGHT));
      }
    }
    return Charts.write(b.build(), dir.resolve("loss"));
  }

  private static double[] column(List<EpochMetrics> rows, ToDoubleFunction<EpochMetrics> f) {
    return rows.stream().mapToDouble(f).toArray();
  }

  private static boolean any(List<EpochMetrics> rows, ToDoubleFunction<EpochMetrics> f) {
    return rows.stream().anyMatch(r -> !Double.isNaN(f.applyAsDouble(r)));
  }
}
