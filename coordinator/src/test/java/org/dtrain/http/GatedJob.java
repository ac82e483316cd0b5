package org.dtrain.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dtrain.coordinator.EpochMetrics;
import org.dtrain.coordinator.Job;
import org.dtrain.coordinator.JobConfig;
import org.dtrain.coordinator.JobStatus;
import org.dtrain.coordinator.LocalCluster;
import org.dtrain.coordinator.TrainingListener;
import org.dtrain.coordinator.TrainingLoop;

/**
 * A real in-JVM training job with its HTTP endpoint on a free port, which holds still after step
 * {@code gate} (the training listener, in the coordinator's thread, waits) until {@link #release}:
 * tests look at a job that is surely running, for as long as they need, without timing luck.
 */
final class GatedJob implements AutoCloseable {
  final JobStatus status = new JobStatus();
  final StatusServer server;
  final Job job;
  private final long gate;
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final CompletableFuture<TrainingLoop.Result> result;

  /** Digits, 2 hidden layers, 4 shards: about 12 steps per epoch. */
  static Job digits(int epochs) {
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("data", "../examples/data/digits.csv.gz");
    flags.put("layers", "auto,64,32,auto");
    flags.put("batch-size", 128);
    flags.put("epochs", epochs);
    flags.put("shards", 4);
    flags.put("test-fraction", 0.2);
    flags.put("scale", "minmax");
    flags.put("lr", 0.05);
    flags.put("optimizer", "adam");
    return Job.resolve(JobConfig.load(flags, null));
  }

  GatedJob(Job job, int workers, long gate) {
    this.job = job;
    this.gate = gate;
    this.server = StatusServer.start("127.0.0.1", 0, status);
    TrainingLoop loop = new TrainingLoop(job.plan(), job.test(), new TrainingListener() {
      @Override
      public void stepDone(EpochMetrics row, long total) {
        status.stepDone(row);
        if (row.step() == GatedJob.this.gate) {
          reached.countDown();
          try {
            release.await(120, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void epochDone(EpochMetrics m, long epochs) {
        status.epochDone(m);
      }
    });
    result = CompletableFuture.supplyAsync(() -> LocalCluster.train(loop, job.train(),
        job.shards(), workers, LocalCluster.Options.defaults().withStatus(status)));
  }

  int port() {
    return server.port();
  }

  /** Waits until the job holds at the gate. */
  void awaitGate() throws InterruptedException {
    if (!reached.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the job did not reach step " + gate + " within 60 s");
    }
  }

  void release() {
    release.countDown();
  }

  /** Lets the job run to its end and returns its result. */
  TrainingLoop.Result finish() throws Exception {
    release();
    return result.get(120, TimeUnit.SECONDS);
  }

  /** The same job trained again on the same shards without any HTTP. */
  static TrainingLoop.Result reference(Job job, int workers) {
    return LocalCluster.train(new TrainingLoop(job.plan(), job.test(), new TrainingListener() {}),
        job.train(), job.shards(), workers);
  }

  @Override
  public void close() {
    release();
    server.close();
  }
}
