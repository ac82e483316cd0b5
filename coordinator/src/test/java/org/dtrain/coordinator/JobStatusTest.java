package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The job's status board: counters, the step-time histogram, a bounded history, a final end. */
class JobStatusTest {
  private static EpochMetrics row(long step, double stepMs) {
    return new EpochMetrics(step, 1, 0.5, 0.9, Double.NaN, Double.NaN, 1000, step, 1, 0.1, 0.1, 5,
        100, stepMs, 0.01);
  }

  @Test
  void countsStepsSamplesAndBucketsStepTimes() {
    JobStatus s = new JobStatus();
    s.stepDone(row(1, 0.5));   // 0.0005 s
    s.stepDone(row(2, 30));    // 0.03 s
    s.stepDone(row(3, 20_000)); // 20 s: only +Inf
    JobStatus.Snapshot snap = s.snapshot();
    assertEquals(3, snap.stepsTotal());
    assertEquals(300, snap.samplesTotal());
    long[] b = snap.stepBuckets();
    assertEquals(1, b[0], "<= 1 ms");
    assertEquals(1, b[4], "<= 25 ms");
    assertEquals(2, b[5], "<= 50 ms");
    assertEquals(2, b[JobStatus.STEP_BUCKETS.length - 1], "<= 10 s");
    assertEquals(3, b[JobStatus.STEP_BUCKETS.length], "+Inf");
    assertEquals(20.0305, snap.stepSecondsSum(), 1e-9);
    assertEquals(300 / 20.0305, snap.recentSamplesPerS(), 1e-9);
  }

  @Test
  void theHistoryStaysBoundedAndKeepsTheWholeRun() {
    JobStatus s = new JobStatus();
    int steps = JobStatus.HISTORY_CAP * 5 + 3;
    for (int t = 1; t <= steps; t++) s.stepDone(row(t, 1));
    List<EpochMetrics> h = s.history(0);
    assertTrue(h.size() <= JobStatus.HISTORY_CAP && h.size() > JobStatus.HISTORY_CAP / 4,
        "bounded: " + h.size());
    assertEquals(1, h.get(0).step(), "from the first step");
    assertTrue(h.get(h.size() - 1).step() > steps - 16, "to about the last");
    for (int i = 1; i < h.size(); i++) assertTrue(h.get(i).step() > h.get(i - 1).step());
    assertEquals(List.of(), s.history(steps));
  }

  @Test
  void aFinishedOrFailedJobStaysSo() {
    JobStatus s = new JobStatus();
    assertEquals(JobStatus.State.WAITING, s.snapshot().state());
    s.state(JobStatus.State.FAILED, "diverged");
    s.state(JobStatus.State.RUNNING, "training");
    assertEquals(JobStatus.State.FAILED, s.snapshot().state());
    assertEquals("diverged", s.snapshot().message());
  }
}
