package org.dtrain.scale;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
   * No test set is evaluated: only training steps are timed.
   */
  public static ScaleRow measure(Job job, int workers, long warmup, Cluster cluster) {
    JobStatus status = new JobStatus();
    MeasuredSteps steps = new MeasuredSteps(warmup);
    TrainingListener listener = new TrainingListener() {
      @Override
      public void stepDone(EpochMetrics row, long total) {
        JobStatus.Snapshot s = status.snapshot();
        steps.step(row, s.bytesSent() + s.bytesReceived());
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
