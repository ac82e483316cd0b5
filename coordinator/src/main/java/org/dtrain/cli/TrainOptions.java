package org.dtrain.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.dtrain.Version;
import org.dtrain.coordinator.EpochMetrics;
import org.dtrain.coordinator.Job;
import org.dtrain.coordinator.JobConfig;
import org.dtrain.coordinator.JobStatus;
import org.dtrain.coordinator.LossPlot;
import org.dtrain.coordinator.TensorBoardLog;
import org.dtrain.coordinator.MetricsWriter;
import org.dtrain.coordinator.TrainingListener;
import org.dtrain.coordinator.TrainingLoop;
import org.dtrain.data.ShardPlan;
import org.dtrain.http.StatusServer;
import org.dtrain.math.Blas;
import org.dtrain.model.Checkpoint;
import org.dtrain.model.Model;
import org.dtrain.model.ModelFile;
import org.dtrain.model.RunInfo;
import org.dtrain.nn.Optimizer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The training options and the run shared by {@code train} (a cluster in this JVM) and
 * {@code coordinator} (worker processes): resolve the job, train on the launcher's cluster, report,
 * save.
 */
final class TrainOptions {
  /** Trains a loop on some cluster. */
  interface Launcher {
    /** @param status where the cluster shows the job's state and workers */
    TrainingLoop.Result train(TrainingLoop loop, Job job, JobStatus status);

    /**
     * Checks the launcher's own flags against the resolved job before anything starts.
     *
     * @return a note for the run's header line ("" for none)
     * @throws IllegalArgumentException naming the flag, what was expected and what was found
     */
    default String prepare(Job job) {
      return "";
    }
  }

  @Option(names = "--workers", paramLabel = "K", description = "train: worker actors in this JVM (default: the number of cores); coordinator: worker processes to wait for. At most --shards. Changes the speed, never the weights.")
  Long workers;
  @Option(names = "--shards", paramLabel = "S", description = "Cut the training rows into S shards, the unit of sampling and gradient sums (default 16, or the row count if smaller). The weights depend on S; each shard computes about batch/S rows per step, and under 16 rows its GEMMs get slow.")
  Long shards;
  @Option(names = "--save-model", paramLabel = "M", description = "Write the trained model here (atomically).")
  Path saveModel;
  @Option(names = "--metrics-out", paramLabel = "CSV", description = {"Per-epoch metrics: step,epoch,loss,accuracy,test_loss,test_accuracy,samples_per_s,wall_ms,compute_ms,reduce_ms,broadcast_ms,idle_pct.",
      "compute_ms: the slowest worker's forward/backward time per step; reduce_ms: coordinator time adding partials and updating; broadcast_ms: sending and assembling the weights; idle_pct: share of the step the workers waited."})
  Path metricsOut;
  @Option(names = "--metrics-every-step", description = "Write one metrics row per step instead of per epoch.")
  Boolean metricsEveryStep;
  @Option(names = "--quiet", description = "No progress bar, per-epoch lines or warnings.")
  Boolean quiet;
  @Option(names = "--checkpoint-every", paramLabel = "N", description = "Write a checkpoint (weights, optimizer state, step) every N steps to --checkpoint-dir, atomically, keeping the newest 3 (default 0: never).")
  Long checkpointEvery;
  @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Where checkpoints go (ckpt-<step>.dtck).")
  Path checkpointDir;
  @Option(names = "--tensorboard", paramLabel = "DIR", description = "Write TensorBoard event files to DIR (scalars per step: loss, accuracy, learning_rate, samples_per_s; per epoch: test_loss, test_accuracy). Watch with `tensorboard --logdir DIR`.")
  Path tensorboard;
  @Option(names = "--plots", description = "When training ends, write loss.png and loss.svg (loss and accuracy against step) beside --metrics-out.")
  Boolean plots;
  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8088", description = "Serve the live dashboard (/), the status API (/api/status, /api/history) and Prometheus metrics (/metrics) on this port (default: ${DEFAULT-VALUE}; 0: off). When the default port is taken, training goes on without it.")
  String httpPort;
  @Option(names = "--http-bind", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address the HTTP endpoint listens on (default: ${DEFAULT-VALUE}, this host only; 0.0.0.0 for every interface).")
  String httpBind;
  @Option(names = "--step-timeout", paramLabel = "TIME", description = "When a step takes longer (e.g. 2s), the shards late workers still owe are computed again on the workers that are done, and move there; the first result wins (both are the same bits). Default: off.")
  String stepTimeout;
  @Option(names = "--resume", description = "Continue from the newest valid checkpoint in --checkpoint-dir (a corrupt newer one is skipped with a warning). The job must be the same; the result is the same bits as a run never interrupted.")
  Boolean resume;

  /** {@code --step-timeout}, or null when it is off. */
  java.time.Duration stepTimeout() {
    return stepTimeout == null ? null : Durations.parse("--step-timeout", stepTimeout);
  }

  /** Trains the job of {@code job}'s flags on the cluster {@code launcher} makes; returns the exit code. */
  int run(CommandSpec spec, JobOptions job, Map<String, Object> extra, Launcher launcher)
      throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    String name = spec.qualifiedName();
    Map<String, Object> flags = job.flags();
    flags.putAll(extra);
    JobOptions.put(flags, "save-model", saveModel == null ? null : saveModel.toString());
    JobOptions.put(flags, "metrics-out", metricsOut == null ? null : metricsOut.toString());
    JobOptions.put(flags, "quiet", quiet);
    JobOptions.put(flags, "workers", workers);
    JobOptions.put(flags, "shards", shards);
    JobOptions.put(flags, "metrics-every-step", metricsEveryStep);
    JobOptions.put(flags, "checkpoint-every", checkpointEvery);
    JobOptions.put(flags, "checkpoint-dir", checkpointDir == null ? null : checkpointDir.toString());
    JobOptions.put(flags, "resume", resume);
    JobConfig config = job.data == null && job.config == null
        ? JobConfig.defaultJob(flags, Home.get()) : JobConfig.load(flags, job.config);
    Job resolved = Job.resolve(config);
    stepTimeout(); // a bad --step-timeout is refused before anything is printed or started
    String launcherNote = launcher.prepare(resolved);
    boolean beQuiet = config.bool("quiet");
    String modelPath = config.string("save-model");
    String metricsPath = config.string("metrics-out");
    boolean everyStep = config.bool("metrics-every-step");
    long checkpointEveryN = config.integer("checkpoint-every");
    if (checkpointEveryN < 0) {
      throw new IllegalArgumentException("--checkpoint-every: expected 0 or more steps, found "
          + checkpointEveryN);
    }
    boolean resuming = config.bool("resume");
    Path ckptDir = config.string("checkpoint-dir") == null ? null
        : Path.of(config.string("checkpoint-dir"));
    if ((checkpointEveryN > 0 || resuming) && ckptDir == null) {
      throw new IllegalArgumentException("--checkpoint-dir: expected a directory with "
          + (resuming ? "--resume" : "--checkpoint-every") + ", found none");
    }
    boolean plot = Boolean.TRUE.equals(plots);
    if (plot && metricsPath == null) {
      throw new IllegalArgumentException("--plots: expected --metrics-out too (the plots go beside it), found none");
    }
    if (!beQuiet) {
      for (String w : resolved.warnings()) {
        spec.commandLine().getErr().println(name + ": warning: " + w);
      }
    }

    ShardPlan shards = resolved.shards();
    if (!beQuiet) {
      out.printf(Locale.ROOT, "dtrain %s: %s, %d parameters; %d training rows%s; batch %d, %d steps (%d per epoch); %d shards on %d workers; %s%s%n",
          Version.DTRAIN, resolved.plan().spec().describe(), resolved.plan().spec().parameterCount(),
          resolved.train().rows(), resolved.test() == null ? "" : ", " + resolved.test().rows() + " test",
          resolved.batchSize(), resolved.plan().totalSteps(), resolved.plan().stepsPerEpoch(),
          shards.shards(), resolved.workers(), Blas.get().name(),
          launcherNote.isEmpty() ? "" : "; " + launcherNote);
    }
    Checkpoint from = null;
    if (resuming) {
      from = Checkpoint.newest(ckptDir, skipped -> spec.commandLine().getErr().println(
          name + ": warning: skipped a checkpoint that does not read back: " + skipped));
      if (from == null) {
        throw new IllegalArgumentException("--resume: expected a checkpoint in " + ckptDir
            + ", found none that reads back");
      }
      RunInfo was = from.model().runInfo();
      if (!was.config().equals(config.render()) || !was.datasetSha256().equals(resolved.datasetSha256())
          || was.shards() != shards.shards()) {
        throw new IllegalArgumentException("--resume: " + Checkpoint.file(ckptDir, from.step())
            + " was written by another job (its configuration, data or shard count differs from"
            + " this one's); resume with the same job");
      }
    }
    TrainingLoop[] running = new TrainingLoop[1];
    TrainingLoop.Result result;
    JobStatus status = new JobStatus();
    try (StatusServer http = startHttp(spec, status, beQuiet);
         TensorBoardLog board = tensorboard == null ? null : TensorBoardLog.open(tensorboard);
         MetricsWriter metrics = metricsPath == null ? null : MetricsWriter.open(Path.of(metricsPath));
         Progress progress = beQuiet ? null : Progress.start(resolved.plan().totalSteps())) {
      TrainingListener listener = new TrainingListener() {
        @Override
        public void stepDone(EpochMetrics row, long total) {
          status.stepDone(row);
          if (board != null) board.stepDone(row, total);
          if (progress != null) progress.step(row.step());
          if (metrics != null && everyStep) metrics.write(row);
          if (checkpointEveryN > 0 && row.step() % checkpointEveryN == 0) {
            writeCheckpoint(running[0], resolved, config, ckptDir);
          }
        }

        @Override
        public void epochDone(EpochMetrics m, long epochs) {
          status.epochDone(m);
          if (board != null) board.epochDone(m, epochs);
          if (metrics != null && !everyStep) metrics.write(m);
          if (!beQuiet) {
            if (progress != null) progress.clearLine();
            out.println(epochLine(m, epochs));
          }
        }
      };
      TrainingLoop loop = new TrainingLoop(resolved.plan(), resolved.test(), listener);
      running[0] = loop;
      if (from != null) {
        loop.resume(from.step(), from.model().parameters(), from.firstMoment(),
            from.secondMoment(), from.optimizerUpdates());
        if (!beQuiet) out.println("resumed from " + Checkpoint.file(ckptDir, from.step()));
      }
      result = launcher.train(loop, resolved, status);
      if (metrics != null) metrics.commit();
      if (plot) {
        Path dir = Path.of(metricsPath).toAbsolutePath().getParent();
        LossPlot.write(dir, status.history(0), result.history());
        if (!beQuiet) out.println("plots: " + dir.resolve("loss.png") + ", " + dir.resolve("loss.svg"));
      }
      if (board != null && !beQuiet) out.println("TensorBoard events: " + board.file());
    }
    if (modelPath != null) {
      RunInfo info = new RunInfo(resolved.plan().seed(), config.render(), resolved.datasetSha256(),
          Version.DTRAIN, System.currentTimeMillis(), resolved.plan().totalSteps(), shards.shards());
      Model model = new Model(resolved.plan().spec(), result.parameters(), resolved.scaler(),
          java.util.List.of(resolved.train().featureNames()), config.string("label"), info);
      ModelFile.write(model, Path.of(modelPath));
      if (!beQuiet) out.println("model saved to " + modelPath);
    }
    return Main.OK;
  }

  /**
   * The HTTP endpoint of {@code --http-port}, or null when it is off. A port given on the command
   * line must be free; when the default one is taken, the job goes on without it.
   */
  private StatusServer startHttp(CommandSpec spec, JobStatus status, boolean beQuiet) {
    int port = HostPort.port("--http-port", httpPort, true);
    if (port == 0) return null;
    try {
      StatusServer server = StatusServer.start(httpBind, port, status);
      if (!beQuiet) {
        spec.commandLine().getOut().println("dashboard: http://" + httpBind + ":" + server.port() + "/");
      }
      return server;
    } catch (IllegalStateException e) {
      if (spec.commandLine().getParseResult().hasMatchedOption("--http-port")
          || spec.commandLine().getParseResult().hasMatchedOption("--http-bind")) {
        throw new IllegalArgumentException("--http-port: " + e.getMessage()
            + " (choose another port, or 0 for none)");
      }
      if (!beQuiet) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": warning: no dashboard: "
            + e.getMessage() + " (use --http-port)");
      }
      return null;
    }
  }

  /** The loop's state after its last applied step, as the newest checkpoint of {@code dir}. */
  private static void writeCheckpoint(TrainingLoop loop, Job job, JobConfig config, Path dir) {
    long step = loop.stepsDone();
    RunInfo info = new RunInfo(job.plan().seed(), config.render(), job.datasetSha256(),
        Version.DTRAIN, System.currentTimeMillis(), step, job.shards().shards());
    Model model = new Model(job.plan().spec(), loop.weights(), job.scaler(),
        java.util.List.of(job.train().featureNames()), config.string("label"), info);
    Optimizer o = loop.optimizer();
    try {
      new Checkpoint(model, step, step / job.plan().stepsPerEpoch(), copy(o.firstMoment()),
          copy(o.secondMoment()), o.updates()).write(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write a checkpoint to " + dir + ": "
          + e.getMessage(), e);
    }
  }

  private static float[] copy(java.nio.FloatBuffer b) {
    if (b == null) return null;
    float[] a = new float[b.capacity()];
    b.get(0, a);
    return a;
  }

  static String epochLine(EpochMetrics m, long epochs) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "epoch %d/%d  step %d  loss %.4f", m.epoch(), epochs, m.step(), m.loss()));
    if (!Double.isNaN(m.accuracy())) sb.append(String.format(Locale.ROOT, "  acc %.2f%%", 100 * m.accuracy()));
    if (!Double.isNaN(m.testLoss())) sb.append(String.format(Locale.ROOT, "  test_loss %.4f", m.testLoss()));
    if (!Double.isNaN(m.testAccuracy())) sb.append(String.format(Locale.ROOT, "  test_acc %.2f%%", 100 * m.testAccuracy()));
    sb.append(String.format(Locale.ROOT, "  %.0f samples/s", m.samplesPerS()));
    sb.append(String.format(Locale.ROOT, "  step: compute %.2f ms, reduce %.2f, broadcast %.2f, idle %.0f%%",
        m.computeMs(), m.reduceMs(), m.broadcastMs(), m.idlePct()));
    return sb.toString();
  }
}
