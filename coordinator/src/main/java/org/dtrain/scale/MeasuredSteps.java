package org.dtrain.scale;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtrain.coordinator.EpochMetrics;

/**
 * The per-step rows of one configuration's run, its warm-up steps left out, and the byte counts
 * between steps. Filled from the training listener, read once the run is over.
 */
public final class MeasuredSteps {
  private final long warmup;
  private final List<EpochMetrics> rows = new ArrayList<>();
  private final List<Long> bytes = new ArrayList<>();
  private long lastBytes = -1;
  private double coordinatorBackgroundMs = Double.NaN;
  private double workerBackgroundMs = Double.NaN;

  /** @param warmup the first steps, not measured */
  public MeasuredSteps(long warmup) {
    this.warmup = warmup;
  }

  /**
   * A step was applied.
   *
   * @param trafficBytes the coordinator's bytes sent and received so far
   */
  public synchronized void step(EpochMetrics row, long trafficBytes) {
    if (row.step() > warmup) {
      rows.add(row);
      bytes.add(lastBytes < 0 ? -1 : trafficBytes - lastBytes);
    }
    lastBytes = trafficBytes;
  }

  /** The JVMs' background CPU per measured step ({@link JvmThreads}), ms; NaN when unknown. */
  public synchronized void background(double coordinatorMs, double workerMs) {
    coordinatorBackgroundMs = coordinatorMs;
    workerBackgroundMs = workerMs;
  }

  public synchronized int count() {
    return rows.size();
  }

  /** The median step time of the measured steps, in ms. */
  public synchronized double stepMsP50() {
    if (rows.isEmpty()) throw new IllegalStateException("no measured steps");
    return median(EpochMetrics::stepMs);
  }

  /** The row of this configuration, before speedups: those need the other rows. */
  public synchronized ScaleRow row(int workers, int shards, int globalBatch, String sha256) {
    if (rows.isEmpty()) throw new IllegalStateException("no measured steps");
    double[] ms = rows.stream().mapToDouble(EpochMetrics::stepMs).sorted().toArray();
    long samples = rows.stream().mapToLong(EpochMetrics::samples).sum();
    double seconds = Arrays.stream(ms).sum() / 1e3;
    long[] b = bytes.stream().mapToLong(Long::longValue).filter(x -> x >= 0).sorted().toArray();
    return new ScaleRow(workers, shards, globalBatch, samples / seconds, percentile(ms, 0.50),
        percentile(ms, 0.95), median(EpochMetrics::computeMs), median(EpochMetrics::reduceMs),
        median(EpochMetrics::broadcastMs), median(EpochMetrics::idlePct),
        b.length == 0 ? 0 : b[b.length / 2], Double.NaN, Double.NaN, sha256,
        coordinatorBackgroundMs, workerBackgroundMs);
  }

  /** Medians, not means: one step stalled by the garbage collector should not move a column. */
  private double median(java.util.function.ToDoubleFunction<EpochMetrics> f) {
    return percentile(rows.stream().mapToDouble(f).sorted().toArray(), 0.50);
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
