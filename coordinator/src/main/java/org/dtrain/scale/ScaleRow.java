package org.dtrain.scale;

import java.util.List;
import java.util.Locale;

/**
 * One measured configuration of a scaling experiment: a row of {@code results.csv}.
 *
 * @param samplesPerS training rows per second over the measured steps
 * @param stepMsP50 median step wall time (ms)
 * @param stepMsP95 95th percentile step wall time (ms)
 * @param computeMs median over the steps: the slowest worker's forward/backward time
 * @param reduceMs median: coordinator time adding partials, dividing and updating
 * @param broadcastMs median: time sending and assembling the weights
 * @param idlePct median share of the step the workers did not compute
 * @param bytesPerStep median bytes the coordinator sent and received per step (protobuf wire size)
 * @param speedup samples/s over the samples/s of the fewest workers with the same batch size
 * @param efficiency speedup over the worker ratio (1 = linear)
 * @param modelSha256 SHA-256 of the trained weights (float32, little-endian)
 * @param coordinatorBackgroundMs CPU ms per measured step of the coordinator JVM's threads beside
 *     the step's own ({@link JvmThreads}: JIT compilers, GC, Akka's); NaN when unknown. Not in
 *     results.csv: the step model's input ({@code ScalePrediction})
 * @param workerBackgroundMs the same, per worker process (their mean); NaN in one JVM or unknown
 */
public record ScaleRow(int workers, int shards, int globalBatch, double samplesPerS,
    double stepMsP50, double stepMsP95, double computeMs, double reduceMs, double broadcastMs,
    double idlePct, long bytesPerStep, double speedup, double efficiency, String modelSha256,
    double coordinatorBackgroundMs, double workerBackgroundMs) {

  /** Without the background threads' CPU (unknown). */
  public ScaleRow(int workers, int shards, int globalBatch, double samplesPerS, double stepMsP50,
      double stepMsP95, double computeMs, double reduceMs, double broadcastMs, double idlePct,
      long bytesPerStep, double speedup, double efficiency, String modelSha256) {
    this(workers, shards, globalBatch, samplesPerS, stepMsP50, stepMsP95, computeMs, reduceMs,
        broadcastMs, idlePct, bytesPerStep, speedup, efficiency, modelSha256, Double.NaN,
        Double.NaN);
  }

  /** The CSV header; other tools read these names. */
  public static final String CSV_HEADER = "workers,shards,global_batch,samples_per_s,step_ms_p50,"
      + "step_ms_p95,compute_ms,reduce_ms,broadcast_ms,idle_pct,bytes_per_step,speedup,efficiency,"
      + "model_sha256";

  /**
   * One configuration measured in several rounds: the median of every column over the rounds. The
   * weights of every round must be the same; when they are not, {@code model_sha256} lists each
   * round's, joined by "/", and {@link ScaleReport#invariantHolds} fails.
   */
  public static ScaleRow medianOf(List<ScaleRow> rounds) {
    if (rounds.isEmpty()) throw new IllegalArgumentException("no rounds");
    if (rounds.size() == 1) return rounds.get(0);
    ScaleRow f = rounds.get(0);
    java.util.Set<String> shas = new java.util.LinkedHashSet<>();
    rounds.forEach(r -> shas.add(r.modelSha256()));
    return new ScaleRow(f.workers(), f.shards(), f.globalBatch(), med(rounds, ScaleRow::samplesPerS),
        med(rounds, ScaleRow::stepMsP50), med(rounds, ScaleRow::stepMsP95),
        med(rounds, ScaleRow::computeMs), med(rounds, ScaleRow::reduceMs),
        med(rounds, ScaleRow::broadcastMs), med(rounds, ScaleRow::idlePct),
        Math.round(med(rounds, r -> r.bytesPerStep())), f.speedup(), f.efficiency(),
        String.join("/", shas), med(rounds, ScaleRow::coordinatorBackgroundMs),
        med(rounds, ScaleRow::workerBackgroundMs));
  }

  /** Whether every round of this row trained the same weights. */
  public boolean roundsAgree() {
    return !modelSha256.contains("/");
  }

  private static double med(List<ScaleRow> rows, java.util.function.ToDoubleFunction<ScaleRow> f) {
    double[] v = rows.stream().mapToDouble(f).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  public ScaleRow withSpeedup(double s, double e) {
    return new ScaleRow(workers, shards, globalBatch, samplesPerS, stepMsP50, stepMsP95, computeMs,
        reduceMs, broadcastMs, idlePct, bytesPerStep, s, e, modelSha256, coordinatorBackgroundMs,
        workerBackgroundMs);
  }

  /** What the step time holds beside compute, reduce and broadcast: waiting and messaging. */
  public double otherMs() {
    return Math.max(0, stepMsP50 - computeMs - reduceMs - broadcastMs);
  }

  public String csvRow() {
    return String.format(Locale.ROOT, "%d,%d,%d,%.1f,%.3f,%.3f,%.3f,%.3f,%.3f,%.1f,%d,%.3f,%.3f,%s",
        workers, shards, globalBatch, samplesPerS, stepMsP50, stepMsP95, computeMs, reduceMs,
        broadcastMs, idlePct, bytesPerStep, speedup, efficiency, modelSha256);
  }
}
