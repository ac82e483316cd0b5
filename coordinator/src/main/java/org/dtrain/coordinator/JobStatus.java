package org.dtrain.coordinator;

import java.util.ArrayList;
import java.util.List;

/**
 * What a running job looks like from outside: its state, the latest step's metrics, the workers and
 * the per-step history, plus counters for Prometheus. The training side writes it (the coordinator
 * actor and the training listener); the HTTP threads read immutable {@link Snapshot}s of it. Every
 * method is synchronized and cheap, so a reader never holds training up for long.
 */
public final class JobStatus {
  /** The job's state as {@code /api/status} names it. */
  public enum State {
    WAITING, RUNNING, PAUSED, FINISHED, FAILED;

    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One worker as the status shows it.
   *
   * @param address where it runs (its actor's path)
   * @param lastStepMs its compute time in the last completed step it took part in; NaN before
   * @param state {@code joining}, {@code loading} or {@code training}
   */
  public record WorkerView(String id, String address, List<Integer> shards, double lastStepMs,
      String state) {}

  /** Upper bounds (seconds) of the step-time histogram's buckets; +Inf is implied. */
  public static final double[] STEP_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
      0.5, 1, 2.5, 5, 10};

  /** Rows kept in the history; beyond it every other row is dropped (the curve keeps its shape). */
  static final int HISTORY_CAP = 10_000;

  /** Steps over which the status's throughput is taken. */
  static final int RECENT = 20;

  /**
   * The job at one moment.
   *
   * @param message why it waits, pauses or failed; empty otherwise
   * @param last the last step's metrics, or null before the first step
   * @param testAccuracy the latest epoch's test accuracy; NaN without test data
   * @param recentSamplesPerS training rows per second over the last {@link #RECENT} steps
   * @param stepBuckets cumulative counts per {@link #STEP_BUCKETS} bound, then +Inf
   */
  public record Snapshot(String job, State state, String message, long totalSteps, long epochs,
      EpochMetrics last, double testAccuracy, double testLoss, double recentSamplesPerS,
      List<WorkerView> workers,
      long stepsTotal, long samplesTotal, long bytesSent, long bytesReceived, long[] stepBuckets,
      double stepSecondsSum) {}

  private String job = "";
  private State state = State.WAITING;
  private String message = "starting";
  private long totalSteps;
  private long epochs;
  private EpochMetrics last;
  private double testAccuracy = Double.NaN;
  private double testLoss = Double.NaN;
  private List<WorkerView> workers = List.of();
  private long stepsTotal;
  private long samplesTotal;
  private long bytesSent;
  private long bytesReceived;
  private final long[] stepBuckets = new long[STEP_BUCKETS.length + 1];
  private double stepSecondsSum;
  private final List<EpochMetrics> history = new ArrayList<>();
  private int historyStride = 1; // keep one step row in this many
  private long seen;             // step rows offered to the history
  private final long[] recentSamples = new long[RECENT];   // ring, by step
  private final double[] recentMs = new double[RECENT];

  /** The job's identity and size, once it is resolved. */
  public synchronized void begin(String jobId, long totalSteps, long epochs) {
    this.job = jobId;
    this.totalSteps = totalSteps;
    this.epochs = epochs;
  }

  public synchronized void state(State s, String why) {
    if (state == State.FAILED || state == State.FINISHED) return; // the end is final
    state = s;
    message = why == null ? "" : why;
  }

  public synchronized void workers(List<WorkerView> now) {
    workers = List.copyOf(now);
  }

  /** Bytes the coordinator sent to and received from its workers. */
  public synchronized void traffic(long sent, long received) {
    bytesSent += sent;
    bytesReceived += received;
  }

  /** A step was applied; {@code row} holds its metrics. */
  public synchronized void stepDone(EpochMetrics row) {
    last = row;
    recentSamples[(int) (stepsTotal % RECENT)] = row.samples();
    recentMs[(int) (stepsTotal % RECENT)] = row.stepMs();
    stepsTotal++;
    samplesTotal += row.samples();
    double secs = row.stepMs() / 1e3;
    stepSecondsSum += secs;
    for (int i = 0; i < STEP_BUCKETS.length; i++) {
      if (secs <= STEP_BUCKETS[i]) stepBuckets[i]++;
    }
    stepBuckets[STEP_BUCKETS.length]++;
    if (seen++ % historyStride == 0) history.add(row);
    if (history.size() > HISTORY_CAP) {
      List<EpochMetrics> kept = new ArrayList<>(HISTORY_CAP / 2 + 1);
      for (int i = 0; i < history.size(); i += 2) kept.add(history.get(i));
      history.clear();
      history.addAll(kept);
      historyStride *= 2;
    }
  }

  /** An epoch ended; its row carries the test metrics. */
  public synchronized void epochDone(EpochMetrics row) {
    testAccuracy = row.testAccuracy();
    testLoss = row.testLoss();
  }

  public synchronized Snapshot snapshot() {
    long rows = 0;
    double ms = 0;
    for (int i = 0; i < RECENT; i++) {
      rows += recentSamples[i];
      ms += recentMs[i];
    }
    return new Snapshot(job, state, message, totalSteps, epochs, last, testAccuracy, testLoss,
        ms > 0 ? rows / (ms / 1e3) : Double.NaN, workers, stepsTotal, samplesTotal, bytesSent, bytesReceived, stepBuckets.clone(),
        stepSecondsSum);
  }

  /** The kept step rows after step {@code afterStep}, oldest first. */
  public synchronized List<EpochMetrics> history(long afterStep) {
    List<EpochMetrics> out = new ArrayList<>();
    for (EpochMetrics r : history) {
      if (r.step() > afterStep) out.add(r);
    }
    return out;
  }
}
