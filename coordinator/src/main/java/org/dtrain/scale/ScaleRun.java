package org.dtrain.scale;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.dtrain.coordinator.EpochMetrics;
import org.dtrain.coordinator.Job;
import org.dtrain.coordinator.JobStatus;
import org.dtrain.coordinator.TrainingListener;
import org.dtrain.coordinator.TrainingLoop;
import org.dtrain.nn.Parameters;

/** Runs one configuration of a scaling experiment and measures it. */
public final class ScaleRun {
  private ScaleRun() {}

  /** Trains a loop on some cluster of {@code workers} workers (in this JVM, or processes). */
  public interface Cluster {
    TrainingLoop.Result train(TrainingLoop loop, Job job, int workers, JobStatus status);
  }

  /**
   * Trains {@code job} (its steps include the warm-up) and measures the steps after the warm-up.
   * No test set is evaluated: only training steps are timed. The workers are actors in this JVM.
   */
  public static ScaleRow measure(Job job, int workers, long warmup, Cluster cluster) {
    return measure(job, workers, warmup, cluster, List::of);
  }

  /**
   * As {@link #measure(Job, int, long, Cluster)}, and the background CPU per measured step of this
   * JVM and of the worker processes ({@link JvmThreads}), read at the end of the last warm-up step
   * (or of the first step, without warm-up) and of the last step.
   *
   * @param workerPids the worker processes, once they run (empty for actors in this JVM)
   */
  public static ScaleRow measure(Job job, int workers, long warmup, Cluster cluster,
      Supplier<List<Long>> workerPids) {
    JobStatus status = new JobStatus();
    MeasuredSteps steps = new MeasuredSteps(warmup);
    long self = ProcessHandle.current().pid();
    long from = Math.max(1, warmup);
    TrainingListener listener = new TrainingListener() {
      private final Map<Long, Map<Long, Long>> start = new HashMap<>();

      @Override
      public void stepDone(EpochMetrics row, long total) {
        JobStatus.Snapshot s = status.snapshot();
        steps.step(row, s.bytesSent() + s.bytesReceived());
        if (row.step() == from && total > from) {
          start.put(self, JvmThreads.background(self));
          for (long pid : workerPids.get()) start.put(pid, JvmThreads.background(pid));
        } else if (row.step() == total && !start.isEmpty()) {
          double n = total - from;
          double coordinator = perStep(self, n);
          double worker = 0;
          List<Long> pids = workerPids.get();
          for (long pid : pids) worker += perStep(pid, n) / pids.size();
          steps.background(coordinator, pids.isEmpty() ? Double.NaN : worker);
        }
      }

      /** ms per step, NaN when /proc could not tell. */
      private double perStep(long pid, double n) {
        Map<Long, Long> before = start.getOrDefault(pid, Map.of());
        Map<Long, Long> after = JvmThreads.background(pid);
        if (before.isEmpty() || after.isEmpty()) return Double.NaN;
        return JvmThreads.between(before, after) / n / 1e6;
      }
    };
    TrainingLoop loop = new TrainingLoop(job.plan(), null, listener);
    TrainingLoop.Result result = cluster.train(loop, job, workers, status);
    return steps.row(workers, job.shards().shards(), job.batchSize(), sha256(result.parameters()));
  }

  /** SHA-256 of the weights as float32 little-endian, the bytes a model file holds. */
  public static String sha256(Parameters p) {
    FloatBuffer v = p.values();
    ByteBuffer bytes = ByteBuffer.allocate(p.count() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < p.count(); i++) bytes.putFloat(v.get(i));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
