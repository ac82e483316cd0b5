package org.dtrain.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dtrain.chart.Charts;
import org.dtrain.chart.LineChart;
import org.dtrain.chart.Series;
import org.dtrain.coordinator.Job;
import org.dtrain.model.ModelFile;
import org.dtrain.scale.predict.Calibration;
import org.dtrain.scale.predict.ComputeProfile;
import org.dtrain.scale.predict.MeasureOptions;
import org.dtrain.scale.predict.MeasuredStep;
import org.dtrain.scale.predict.NetworkSpec;
import org.dtrain.scale.predict.Placement;
import org.dtrain.scale.predict.Prediction;
import org.dtrain.scale.predict.PredictionTable;
import org.dtrain.scale.predict.Reduction;
import org.dtrain.scale.predict.StepConfig;
import org.dtrain.scale.predict.StepModel;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.MessageCodec;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.scale.predict.Sweep;
import org.dtrain.scale.predict.Validation;
import org.dtrain.scale.predict.ValidationRow;

/**
 * What {@code dtrain scale} does with the step model: the compute profile of the job on this
 * machine, the calibration on the experiment's first configuration, the predicted-against-measured
 * check of every configuration ({@code validation.csv}, {@code predicted-vs-measured.svg/png}), and
 * under {@code --predict} the predicted curves for star and tree reduction
 * ({@code predicted.csv}, {@code predicted-throughput.svg/png}, {@code predicted-efficiency.svg/png}).
 *
 * @param profile per-shard compute, add and optimizer costs measured on this machine
 * @param placement where the measured workers ran (one JVM or processes, threads per worker)
 * @param reduction how the measured runs reduced
 * @param network the simulated network of the measured runs ({@link NetworkSpec#none()} without)
 * @param slowWorkers --sim-slow-worker of the measured runs
 * @param pieceNanos o: protobuf encoding plus decoding of one full message piece, timed here; the
 *     per-piece cost on a real wire (worker processes, and each worker a machine of its own). In
 *     one JVM messages travel by reference and o is 0.
 */
public record ScalePrediction(ComputeProfile profile, Placement placement, Reduction reduction,
    NetworkSpec network, Map<Integer, Double> slowWorkers, double pieceNanos) {

  /** Times the job's real kernels on this machine (single-threaded), around its rows per shard. */
  public static ComputeProfile profile(Job job) {
    int rows = Math.max(1, job.batchSize() / job.shards().shards());
    return ComputeProfile.measure(job.plan().spec(), job.train(), job.plan().optimizer(),
        MeasureOptions.around(rows));
  }

  /** Rounds before {@link #timePiece} times: enough for the JIT's final code (about 0.5 s). */
  static final int PIECE_WARMUP_ROUNDS = 2_000;

  /**
   * Median nanoseconds to encode and decode one full gradient piece ({@link FloatChunk#MAX_FLOATS}),
   * after {@link #PIECE_WARMUP_ROUNDS} rounds: with a few dozen, a fresh JVM times an intermediate
   * tier of the JIT, 150-380 us here against about 100 us once compiled, and the result depended
   * on what the JVM had run before.
   */
  public static double timePiece() {
    int n = FloatChunk.MAX_FLOATS;
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) Math.sin(i);
    ShardGradients g = new ShardGradients(Header.of("job", 1), "w0", 0, 0, 64, 1.0, 3, 1, 1,
        new FloatChunk(v, 0, n, 0, n));
    String manifest = MessageCodec.manifest(g);
    long sink = 0;
    double[] t = new double[40];
    for (int r = -PIECE_WARMUP_ROUNDS; r < t.length; r++) {
      long t0 = System.nanoTime();
      byte[] bytes = MessageCodec.encode(g);
      sink += MessageCodec.decode(bytes, manifest).header().step();
      if (r >= 0) t[r] = System.nanoTime() - t0;
    }
    java.util.Arrays.sort(t);
    return sink == Long.MIN_VALUE ? 0 : t[t.length / 2];
  }

  /** o for the measured runs: per piece on a real wire, 0 in one JVM. */
  private double measuredOverhead() {
    return placement.kind() == Placement.Kind.ONE_JVM ? 0 : pieceNanos;
  }

  /** The model's view of one measured configuration. */
  public StepConfig config(ScalePlan.Config c, int parameters) {
    Map<Integer, Double> slow = new java.util.TreeMap<>();
    slowWorkers.forEach((w, f) -> {
      if (w < c.workers()) slow.put(w, f);
    });
    return StepConfig.of(c.workers(), c.shards(), c.globalBatch(), parameters, placement)
        .withReduction(reduction).withNetwork(network).withSlowWorkers(slow);
  }

  /**
   * The measured row as the model's calibration and validation take it, with the JVMs' background
   * CPU per step that the run measured.
   */
  public MeasuredStep measured(ScaleRow r, int parameters) {
    return new MeasuredStep(config(new ScalePlan.Config(r.workers(), r.shards(), r.globalBatch()),
        parameters), r.stepMsP50(), r.computeMs(), r.reduceMs(), r.broadcastMs(),
        r.coordinatorBackgroundMs(), r.workerBackgroundMs());
  }

  /**
   * Calibrates on the first row of each batch size (its fewest workers), then predicts the other
   * rows of that batch size: {@code perBatch} consecutive rows share a batch size.
   */
  public List<ValidationRow> validate(List<ScaleRow> rows, int parameters, int perBatch) {
    List<ValidationRow> out = new ArrayList<>();
    for (int g = 0; g < rows.size(); g += perBatch) {
      List<MeasuredStep> measured = rows.subList(g, Math.min(rows.size(), g + perBatch)).stream()
          .map(r -> measured(r, parameters)).toList();
      out.addAll(Validation.validate(calibrate(measured.get(0)), measured));
    }
    return out;
  }

  /** κ and the per-step overhead fitted to one measured configuration, o timed. */
  public Calibration calibrate(MeasuredStep on) {
    return Calibration.fitStepOverhead(profile, measuredOverhead(), on);
  }

  /** validation.csv, atomically. */
  public static void writeValidation(List<ValidationRow> rows, Path file) throws IOException {
    StringBuilder sb = new StringBuilder("workers,shards,global_batch,reduction,network,"
        + "measured_step_ms,predicted_step_ms,error_pct,within_15pct,calibration\n");
    for (ValidationRow v : rows) {
      StepConfig c = v.measured().config();
      sb.append(String.format(Locale.ROOT, "%d,%d,%d,%s,%s,%.3f,%.3f,%.1f,%b,%b%n", c.workers(),
          c.shards(), c.globalBatch(), c.reduction().label(), c.network().label(), v.measuredMs(),
          v.predictedMs(), 100 * v.relativeError(), v.withinTolerance(), v.calibrationPoint()));
    }
    ModelFile.writeAtomically(sb.toString().getBytes(StandardCharsets.UTF_8), file);
  }

  /** The validation as a markdown section for summary.md. */
  public static String validationSection(List<ValidationRow> rows) {
    StringBuilder sb = new StringBuilder("## Predicted against measured\n\n"
        + "The step model (docs/SCALING.md) is calibrated on the fewest workers of each batch size"
        + " (its error shows the fit) and predicts the other worker counts from the compute profile"
        + " and message costs timed on this machine (with worker processes also the JVMs' background"
        + " CPU, JIT and GC, measured on the calibration run).\n\n| workers | global batch | measured p50 ms | predicted ms | error |"
        + " within 15% |\n|---:|---:|---:|---:|---:|:--|\n");
    for (ValidationRow v : rows) {
      StepConfig c = v.measured().config();
      sb.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.1f%% | %s |%n",
          c.workers(), c.globalBatch(), v.measuredMs(), v.predictedMs(), 100 * v.relativeError(),
          v.calibrationPoint() ? "calibration" : v.withinTolerance() ? "yes" : "**no**"));
    }
    return sb.append("\n![predicted against measured](predicted-vs-measured.svg)\n").toString();
  }

  /** Median step time against workers: measured points, predicted line, per global batch. */
  public static LineChart validationChart(List<ValidationRow> rows, ScalePlan plan) {
    LineChart.Builder b = LineChart.builder("Step time, predicted against measured")
        .xLabel("workers").yLabel("ms per step (median)").xScale(LineChart.Scale.LOG2)
        .includeLeft(0);
    int perBatch = plan.workers().size();
    for (int g = 0; g < rows.size() / perBatch; g++) {
      List<ValidationRow> group = rows.subList(g * perBatch, (g + 1) * perBatch);
      double[] k = group.stream().mapToDouble(v -> v.measured().config().workers()).toArray();
      String label = "batch " + group.get(0).measured().config().globalBatch();
      b.add(Series.points(label + ", measured", k,
          group.stream().mapToDouble(ValidationRow::measuredMs).toArray()));
      b.add(Series.line(label + ", predicted", k,
          group.stream().mapToDouble(ValidationRow::predictedMs).toArray()));
    }
    return b.build();
  }

  /**
   * The predicted curves: every worker count with star and tree reduction, on each network, each
   * worker a machine of its own with {@code threads} cores (the calibration's costs).
   */
  public PredictionTable curves(Calibration cal, StepConfig base, List<Integer> workers,
      int fanIn, List<NetworkSpec> networks, ScalePlan.Mode mode, int threads) {
    Sweep sweep = new Sweep(workers, List.of(Reduction.star(), Reduction.tree(fanIn)), networks,
        mode == ScalePlan.Mode.STRONG ? Sweep.Scaling.STRONG : Sweep.Scaling.WEAK, true);
    StepConfig cluster = base.withPlacement(Placement.cluster(threads)).withSlowWorkers(Map.of());
    return PredictionTable.predict(
        new StepModel(cal.costs().withMessageOverhead(pieceNanos)), cluster, sweep);
  }

  /** predicted.csv, atomically. */
  public static void writeCurves(PredictionTable t, Path file) throws IOException {
    StringBuilder sb = new StringBuilder("workers,shards,global_batch,reduction,network,"
        + "step_ms,samples_per_s,speedup,efficiency,compute_ms,reduce_ms,broadcast_ms,"
        + "coordinator_messages,coordinator_bytes\n");
    for (Prediction p : t.rows()) {
      StepConfig c = p.step().config();
      sb.append(String.format(Locale.ROOT, "%d,%d,%d,%s,%s,%.4f,%.1f,%.3f,%.4f,%.4f,%.4f,%.4f,%d,%d%n",
          c.workers(), c.shards(), c.globalBatch(), c.reduction().label(), c.network().label(),
          p.step().stepMs(), p.samplesPerS(), p.speedup(), p.efficiency(),
          p.step().computeNanos() / 1e6, p.step().reduceNanos() / 1e6,
          p.step().broadcastNanos() / 1e6, p.step().coordinatorMessages(),
          p.step().coordinatorBytes()));
    }
    ModelFile.writeAtomically(sb.toString().getBytes(StandardCharsets.UTF_8), file);
  }

  /** Throughput and efficiency against workers, one curve per reduction and network. */
  public static List<Path> writeCurveCharts(PredictionTable t, Path dir) throws IOException {
    LineChart.Builder tp = LineChart.builder("Predicted throughput").xLabel("workers")
        .yLabel("samples/s").xScale(LineChart.Scale.LOG2).yScale(LineChart.Scale.LOG10);
    LineChart.Builder ef = LineChart.builder("Predicted scaling efficiency").xLabel("workers")
        .yLabel("efficiency (speedup / workers)").xScale(LineChart.Scale.LOG2).includeLeft(0, 1);
    Map<String, List<Prediction>> curves = new java.util.LinkedHashMap<>();
    for (Prediction p : t.rows()) {
      StepConfig c = p.step().config();
      curves.computeIfAbsent(c.reduction().label() + ", " + c.network().label(),
          k -> new ArrayList<>()).add(p);
    }
    for (Map.Entry<String, List<Prediction>> e : curves.entrySet()) {
      double[] k = e.getValue().stream().mapToDouble(p -> p.step().config().workers()).toArray();
      Series.Style style = e.getKey().startsWith("tree") ? Series.Style.DASHED : Series.Style.SOLID;
      tp.add(Series.line(e.getKey(), k, e.getValue().stream()
          .mapToDouble(Prediction::samplesPerS).toArray()).withStyle(style));
      ef.add(Series.line(e.getKey(), k, e.getValue().stream()
          .mapToDouble(Prediction::efficiency).toArray()).withStyle(style));
    }
    List<Path> out = new ArrayList<>(Charts.write(tp.build(), dir.resolve("predicted-throughput")));
    out.addAll(Charts.write(ef.build(), dir.resolve("predicted-efficiency")));
    return out;
  }
}
