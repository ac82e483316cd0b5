package org.dtrain.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import com.typesafe.config.ConfigFactory;
import org.dtrain.coordinator.ClusterJob;
import org.dtrain.coordinator.EpochMetrics;
import org.dtrain.coordinator.Job;
import org.dtrain.coordinator.JobConfig;
import org.dtrain.coordinator.JobFailedException;
import org.dtrain.coordinator.JobStatus;
import org.dtrain.coordinator.LocalCluster;
import org.dtrain.coordinator.RemoteCluster;
import org.dtrain.coordinator.TrainingListener;
import org.dtrain.coordinator.TrainingLoop;
import org.dtrain.model.ModelFile;
import org.dtrain.scale.MeasuredSteps;
import org.dtrain.scale.ScalePlan;
import org.dtrain.scale.ScaleReport;
import org.dtrain.scale.ScaleRow;
import org.dtrain.scale.ScaleRun;
import org.dtrain.scale.Warmup;
import org.dtrain.scale.WorkerProcesses;
import org.dtrain.scale.ScalePrediction;
import org.dtrain.scale.predict.Calibration;
import org.dtrain.scale.predict.NetworkSpec;
import org.dtrain.scale.predict.Placement;
import org.dtrain.scale.predict.Prediction;
import org.dtrain.scale.predict.PredictionTable;
import org.dtrain.scale.predict.StepConfig;
import org.dtrain.scale.predict.ValidationRow;
import org.dtrain.chart.Charts;
import org.dtrain.sim.Simulation;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dtrain scale}: throughput, step time and traffic against the number of workers. */
@Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs a scaling experiment: the same job with every worker count and batch size, --warmup steps (about 2 s by default), then --steps measured steps each.",
        "Writes DIR/results.csv (workers,shards,global_batch,samples_per_s,step_ms_p50,step_ms_p95,compute_ms,reduce_ms,broadcast_ms,idle_pct,bytes_per_step,speedup,efficiency,model_sha256), throughput and step-time charts (SVG and PNG) and DIR/summary.md, and prints a table.",
        "Every configuration uses the same shards, so the rows of one global batch must train the very same weights: model_sha256 says so, and the command fails (exit 1) when they differ.",
        "Model and data options are those of `dtrain train` (without --data: the MNIST 10k default job); here --steps counts the measured steps (default 30), and --batch-size and --epochs are refused (use --batch-sizes).",
        "Each run also checks the step model of docs/SCALING.md: calibrated on the fewest workers of each batch size, it predicts the other rows (validation.csv, predicted-vs-measured.svg); --predict extends it to any --workers count instead of measuring."},
    footer = {"", "Examples:",
        "  dtrain scale --workers 1,2 --batch-sizes 256,1024 --steps 30 --out scale-mnist",
        "  dtrain scale --workers 1..8 --mode weak --batch-sizes 64 --out weak",
        "  dtrain scale --processes --workers 1,2 --out scale-processes",
        "", "Exit codes: 0 success, 2 bad input or usage, 1 a run failed or the weights differed across worker counts."})
final class ScaleCommand implements Callable<Integer> {
  static final int MAX_WORKERS = 4096;

  @Spec CommandSpec spec;
  @Mixin JobOptions job;
  @Mixin SimOptions sim;
  @Mixin ReductionOptions reductionOptions;

  @Option(names = "--workers", paramLabel = "LIST", defaultValue = "1,2", description = "Worker counts to run, e.g. 1,2,4,8 or 1..16 (doubling). Default: ${DEFAULT-VALUE}.")
  String workers;
  @Option(names = "--batch-sizes", paramLabel = "LIST", defaultValue = "256", description = "Batch sizes: the global batch (strong scaling) or the batch per worker (weak). Default: ${DEFAULT-VALUE}.")
  String batchSizes;
  @Option(names = "--mode", paramLabel = "strong|weak", defaultValue = "strong", description = "strong: every worker count trains the same global batch; weak: the global batch grows with the workers. Default: ${DEFAULT-VALUE}.")
  String mode;
  @Option(names = "--shards", paramLabel = "S", defaultValue = "16", description = "Shards of every configuration, raised to the most workers (default: ${DEFAULT-VALUE}).")
  int shards;
  @Option(names = "--warmup", paramLabel = "N|auto", defaultValue = "auto", description = "Steps each configuration runs before it is measured, the same for all of them: N, or auto (default): as many as take about 2 s at the step time of the JVM's warm-up run, at least 5 and at most 300. The JIT keeps compiling for a few hundred steps of a small model; measured earlier, the configurations that run later look faster.")
  String warmupOption;
  @Option(names = "--rounds", paramLabel = "R", defaultValue = "1", description = "Run every configuration R times, the rounds interleaved, and report each column's median over the rounds (default: ${DEFAULT-VALUE}). On a shared or noisy machine, 3 or more.")
  int rounds;
  @Option(names = "--processes", description = "Run the workers as `dtrain worker` processes on 127.0.0.1 (the real wire: Akka Cluster and data links) instead of actors in this JVM.")
  boolean processes;
  @Option(names = "--predict", description = {"Predict instead of measuring every configuration: time the job's kernels on this machine, run the first configuration (the fewest workers, --shards shards) to calibrate the step model (docs/SCALING.md), then predict every --workers count (e.g. 1..1024) for star and tree reduction (fan-in --fan-in), each worker a machine of its own.",
      "The network is the --sim-latency/--sim-bandwidth one, or else both 1Gbit and 10Gbit with 50us latency. Writes predicted.csv and predicted-throughput/-efficiency charts."})
  boolean predict;
  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for results.csv, the charts, summary.md (and logs/ of worker processes).")
  Path out;

  /** Steps of the unmeasured run that warms up this JVM. */
  static final long JVM_WARMUP_STEPS = 30;

  /** Measured steps when --steps is not given. */
  static final long DEFAULT_STEPS = 30;

  private int threadsPerWorker = 1;
  private volatile List<Long> workerPids = List.of(); // the running configuration's processes
  private Simulation simulation = Simulation.NONE;
  private org.dtrain.coordinator.Reduction reduction = org.dtrain.coordinator.Reduction.star();

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    if (job.batchSize != null) {
      throw new IllegalArgumentException("--batch-size: scale takes --batch-sizes (a list), found --batch-size "
          + job.batchSize);
    }
    if (job.epochs != null) {
      throw new IllegalArgumentException("--epochs: scale runs --warmup plus --steps steps, found --epochs "
          + job.epochs);
    }
    long warmup = Warmup.parse(warmupOption);
    if (rounds < 1) throw new IllegalArgumentException("--rounds: expected 1 or more, found " + rounds);
    long steps = job.steps == null ? DEFAULT_STEPS : job.steps;
    if (steps < 1) throw new IllegalArgumentException("--steps: expected 1 or more measured steps, found " + steps);
    if (shards < 1) throw new IllegalArgumentException("--shards: expected 1 or more, found " + shards);
    ScalePlan plan = ScalePlan.of(ScalePlan.mode(mode),
        ScalePlan.parseList("--workers", workers, MAX_WORKERS),
        ScalePlan.parseList("--batch-sizes", batchSizes, Integer.MAX_VALUE / MAX_WORKERS), shards);
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out: expected a directory, found the file " + out);
    }
    simulation = sim.simulation(plan.workers().get(plan.workers().size() - 1));
    reduction = reductionOptions.reduction();
    if (reduction.isTree() && processes) {
      throw new IllegalArgumentException("--reduction tree: worker processes take star only (as dtrain coordinator does)");
    }
    if (reduction.isTree() && simulation.simulatesNetwork()) {
      throw new IllegalArgumentException("--reduction tree: workers send partials to each other outside the simulated network, so --sim-latency and --sim-bandwidth work with --reduction star only");
    }
    if (processes && !simulation.isNone()) {
      throw new IllegalArgumentException("--processes: the --sim-* flags simulate a network in one JVM; "
          + "worker processes use the real one (drop one or the other)");
    }
    Files.createDirectories(out);
    quietCoordinatorLogs();

    // --predict runs only the calibration: the fewest workers on the --shards the user gave.
    List<ScalePlan.Config> configs = predict
        ? List.of(new ScalePlan.Config(plan.workers().get(0), Math.max(shards, plan.workers().get(0)),
            plan.configs().get(0).globalBatch()))
        : plan.configs();
    int most = predict ? configs.get(0).workers() : plan.workers().get(plan.workers().size() - 1);
    // Every worker gets the same cores in every configuration, as if each were its own machine:
    // then 1 worker against K workers measures what distribution costs, not how many cores the
    // one worker was given.
    int cores = Runtime.getRuntime().availableProcessors();
    threadsPerWorker = Math.max(1, cores / most);
    // The JIT compiles the hot loops during the first job of this JVM: a throw-away run, so that
    // the first configuration is not measured slower than the others.
    o.println("warming up the JVM: " + JVM_WARMUP_STEPS + " steps of the first configuration");
    o.flush();
    ScalePlan.Config first = configs.get(0);
    Job warm = resolve(first, JVM_WARMUP_STEPS);
    // its later half: the first steps wait for the JIT most
    MeasuredSteps warmSteps = new MeasuredSteps(JVM_WARMUP_STEPS / 2);
    LocalCluster.train(new TrainingLoop(warm.plan(), null, new TrainingListener() {
      @Override
      public void stepDone(EpochMetrics row, long total) {
        warmSteps.step(row, 0);
      }
    }), warm.train(), warm.shards(), first.workers());
    if (warmup < 0) {
      double stepMs = warmSteps.stepMsP50();
      warmup = Warmup.auto(stepMs);
      o.printf(Locale.ROOT, "warm-up: %d steps per configuration (--warmup auto: about %.0f s at the"
          + " %.1f ms per step of the JVM's warm-up)%n", warmup, Warmup.AUTO_SECONDS, stepMs);
    }
    // Timed before the runs: after worker processes, this JVM's protobuf code had been compiled
    // for their traffic, and one piece's encoding and decoding took 317-329 us in two runs of
    // five instead of the 93-103 us of every fresh JVM, which made the model predict 2 workers up
    // to 47% too slow.
    o.println("timing the job's kernels on this machine for the step model");
    o.flush();
    int parameters = (int) warm.plan().spec().parameterCount();
    ScalePrediction model = new ScalePrediction(ScalePrediction.profile(warm),
        processes ? Placement.processes(cores).withThreads(threadsPerWorker)
            : Placement.oneJvm(cores).withThreads(threadsPerWorker),
        reduction.isTree() ? org.dtrain.scale.predict.Reduction.tree(reduction.fanIn())
            : org.dtrain.scale.predict.Reduction.star(),
        simulation.simulatesNetwork()
            ? new NetworkSpec(simulation.latencyNanos(), simulation.bitsPerSecond() / 8)
            : NetworkSpec.none(),
        simulation.slowWorkers(), ScalePrediction.timePiece());
    // Rounds interleave the configurations, so that a machine getting slower or faster hits
    // every configuration alike; each row is the median of its rounds.
    List<List<ScaleRow>> byConfig = new ArrayList<>();
    configs.forEach(c -> byConfig.add(new ArrayList<>()));
    String describe = null;
    for (int round = 1; round <= rounds; round++) {
      for (int i = 0; i < configs.size(); i++) {
        ScalePlan.Config c = configs.get(i);
        Job resolved = resolve(c, warmup + steps);
        describe = resolved.plan().spec().describe() + ", " + resolved.plan().spec().parameterCount()
            + " parameters, " + resolved.train().rows() + " rows";
        o.printf(Locale.ROOT, "[%s%d/%d] %d workers, %d shards, global batch %d: %d warm-up + %d steps%s%n",
            rounds > 1 ? "round " + round + "/" + rounds + ", " : "", i + 1, configs.size(),
            c.workers(), c.shards(), c.globalBatch(), warmup, steps,
            processes ? " (worker processes)" : "");
        o.flush();
        ScaleRow r = ScaleRun.measure(resolved, c.workers(), warmup, this::train, () -> workerPids);
        byConfig.get(i).add(r);
        o.printf(Locale.ROOT, "      %.0f samples/s, step p50 %.2f ms (compute %.2f, reduce %.2f, broadcast %.2f)%n",
            r.samplesPerS(), r.stepMsP50(), r.computeMs(), r.reduceMs(), r.broadcastMs());
        o.flush();
      }
    }
    List<ScaleRow> rows = byConfig.stream().map(ScaleRow::medianOf).toList();
    List<ValidationRow> validation = model.validate(rows, parameters,
        predict ? rows.size() : plan.workers().size());
    String where = (processes ? "coordinator in this JVM, `dtrain worker` processes on 127.0.0.1"
        : "worker actors in one JVM") + "; " + cores + " cores, " + threadsPerWorker
        + " compute thread(s) per worker in every configuration; " + warmup + " warm-up and "
        + steps + " measured steps each"
        + (simulation.isNone() ? "" : "; " + simulation.describe())
        + (reduction.isTree() ? "; tree reduction, fan-in " + reduction.fanIn() : "")
        + (rounds > 1 ? "; every column the median of " + rounds + " interleaved rounds" : "");
    if (predict) {
      return predicted(o, model, validation, parameters, plan, where);
    }
    ScaleReport report = ScaleReport.of(plan, rows);
    Path csv = out.resolve("results.csv");
    report.writeCsv(csv);
    List<Path> charts = new ArrayList<>(report.writeCharts(out));
    ScalePrediction.writeValidation(validation, out.resolve("validation.csv"));
    charts.addAll(Charts.write(ScalePrediction.validationChart(validation, plan),
        out.resolve("predicted-vs-measured")));
    ModelFile.writeAtomically(report.summary(commandLine(), describe, where,
        List.of(ScalePrediction.validationSection(validation)))
        .getBytes(StandardCharsets.UTF_8), out.resolve("summary.md"));
    o.println();
    o.print(report.table());
    for (String line : report.invariantLines()) o.println(line);
    for (ValidationRow v : validation) {
      o.printf(Locale.ROOT, "predicted %d workers, batch %d: %.2f ms against %.2f measured (%s)%n",
          v.measured().config().workers(), v.measured().config().globalBatch(), v.predictedMs(),
          v.measuredMs(), v.calibrationPoint() ? "the calibration" + background(v.measured())
              + (v.relativeError() > 0.01 ? String.format(Locale.ROOT, "; it could not fit: the"
                  + " timed costs alone predict %.1f%% more than measured", 100 * v.relativeError())
                  : "")
              : String.format(Locale.ROOT, "%.1f%% off", 100 * v.relativeError()));
    }
    o.println("results: " + csv + "; charts: " + charts.size() + " files; summary: " + out.resolve("summary.md"));
    if (!report.invariantHolds()) {
      spec.commandLine().getErr().println("dtrain scale: the weights differ across worker counts of the same global batch (see above): the invariant is broken");
      return Main.FAILED;
    }
    return Main.OK;
  }

  /** --predict: the curves for every worker count, star and tree, from the calibrated model. */
  private int predicted(PrintWriter o, ScalePrediction model, List<ValidationRow> calibration,
      int parameters, ScalePlan plan, String where) throws IOException {
    Calibration cal = model.calibrate(calibration.get(0).measured());
    List<NetworkSpec> networks = simulation.simulatesNetwork() ? List.of(model.network())
        : List.of(NetworkSpec.of(50, 1), NetworkSpec.of(50, 10));
    PredictionTable table = model.curves(cal, calibration.get(0).measured().config(),
        plan.workers(), reductionOptions.fanIn(), networks, plan.mode(), threadsPerWorker);
    ScalePrediction.writeCurves(table, out.resolve("predicted.csv"));
    List<Path> charts = ScalePrediction.writeCurveCharts(table, out);
    o.println();
    o.printf(Locale.ROOT, "calibrated on %d workers, batch %d: %.2f ms per step measured; "
        + "compute scale %.2f, %.2f ms per step overhead; %.1f us per message piece (timed)%n",
        calibration.get(0).measured().config().workers(),
        calibration.get(0).measured().config().globalBatch(), calibration.get(0).measuredMs(),
        cal.costs().computeScale(), cal.costs().stepOverheadNanos() / 1e6,
        model.pieceNanos() / 1e3);
    o.printf(Locale.ROOT, "%8s %-9s %-14s %10s %12s %8s %6s%n", "workers", "reduction", "network",
        "step ms", "samples/s", "speedup", "eff");
    for (Prediction p : table.rows()) {
      StepConfig c = p.step().config();
      o.printf(Locale.ROOT, "%8d %-9s %-14s %10.2f %12.0f %8.2f %5.0f%%%n", c.workers(),
          c.reduction().label(), c.network().label(), p.step().stepMs(), p.samplesPerS(),
          p.speedup(), 100 * p.efficiency());
    }
    ModelFile.writeAtomically(("# dtrain scale --predict\n\n- command: `" + commandLine()
        + "`\n- calibration run: " + where + "\n- predicted: each worker a machine of its own with "
        + threadsPerWorker + " compute thread(s)\n\n" + "![throughput](predicted-throughput.svg)\n\n"
        + "![efficiency](predicted-efficiency.svg)\n").getBytes(StandardCharsets.UTF_8),
        out.resolve("summary.md"));
    o.println("predicted: " + out.resolve("predicted.csv") + "; charts: " + charts.size()
        + " files; summary: " + out.resolve("summary.md"));
    return Main.OK;
  }

  /**
   * The calibration run's JVM background CPU, which the model charges for worker processes (empty
   * in one JVM, or when it was not measured).
   */
  private static String background(org.dtrain.scale.predict.MeasuredStep m) {
    if (!Double.isFinite(m.workerBackgroundMs())) return "";
    return String.format(Locale.ROOT, "; JIT, GC and other JVM threads took %.2f ms of CPU per step"
        + " in each worker's JVM%s", m.workerBackgroundMs(),
        Double.isFinite(m.coordinatorBackgroundMs())
            ? String.format(Locale.ROOT, ", %.2f in the coordinator's", m.coordinatorBackgroundMs())
            : "");
  }

  /** The job of one configuration: the user's flags with this batch, shards, workers and steps. */
  private Job resolve(ScalePlan.Config c, long totalSteps) {
    Map<String, Object> flags = job.flags();
    flags.put("batch-size", (long) c.globalBatch());
    flags.put("shards", (long) c.shards());
    flags.put("workers", (long) c.workers());
    flags.put("steps", totalSteps);
    flags.put("quiet", true);
    JobConfig config = job.data == null && job.config == null
        ? JobConfig.defaultJob(flags, Home.get()) : JobConfig.load(flags, job.config);
    return Job.resolve(config);
  }

  private TrainingLoop.Result train(TrainingLoop loop,
      Job j, int k, JobStatus status) {
    if (!processes) {
      return LocalCluster.train(loop, j.train(), j.shards(), k, LocalCluster.Options.defaults()
          .withStatus(status).withSimulation(simulation.forWorkers(k)).withReduction(reduction)
          .withOverrides(ConfigFactory.parseMap(Map.of("dtrain.worker.shard-threads", threadsPerWorker))));
    }
    int port = freePort();
    try (WorkerProcesses w = WorkerProcesses.start(k, threadsPerWorker, port,
        out.resolve("logs"), Main.class.getName())) {
      workerPids = w.pids();
      return RemoteCluster.train(loop, j.train(), j.shards(), k, 1, "127.0.0.1", port,
          Duration.ofSeconds(120), null, null, 0, Map.of(), status);
    } catch (IOException e) {
      throw new JobFailedException("cannot start worker processes: " + e.getMessage());
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new JobFailedException("no free port on 127.0.0.1: " + e.getMessage());
    }
  }

  /** The job's own INFO lines (workers registering, every run) would drown the table. */
  private static void quietCoordinatorLogs() {
    for (Class<?> c : List.of(ClusterJob.class, RemoteCluster.class)) {
      if (LoggerFactory.getLogger(c) instanceof ch.qos.logback.classic.Logger l) {
        l.setLevel(ch.qos.logback.classic.Level.WARN);
      }
    }
    if (LoggerFactory.getLogger("org.dtrain.coordinator.LinkServer") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  private String commandLine() {
    return "dtrain " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
  }
}
