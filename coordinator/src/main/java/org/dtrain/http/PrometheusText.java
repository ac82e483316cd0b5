package org.dtrain.http;

import java.util.Locale;
import org.dtrain.coordinator.EpochMetrics;
import org.dtrain.coordinator.JobStatus;

/**
 * The body of {@code GET /metrics}: the Prometheus text exposition format (version 0.0.4), every
 * name prefixed {@code dtrain_}.
 */
final class PrometheusText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder sb = new StringBuilder(2048);

  private PrometheusText() {}

  static String render(JobStatus.Snapshot s) {
    PrometheusText p = new PrometheusText();
    EpochMetrics m = s.last();
    p.metric("dtrain_steps_total", "counter", "Optimizer steps applied.", s.stepsTotal());
    p.metric("dtrain_samples_total", "counter", "Training rows processed.", s.samplesTotal());
    p.metric("dtrain_loss", "gauge", "Training loss of the last step.", m == null ? Double.NaN : m.loss());
    p.metric("dtrain_accuracy", "gauge", "Training accuracy of the last step.",
        m == null ? Double.NaN : m.accuracy());
    p.metric("dtrain_test_accuracy", "gauge", "Test accuracy at the last epoch end.", s.testAccuracy());
    p.metric("dtrain_samples_per_second", "gauge", "Training rows per second over the last steps.",
        s.recentSamplesPerS());
    p.metric("dtrain_learning_rate", "gauge", "Learning rate of the last step.",
        m == null ? Double.NaN : m.learningRate());
    p.header("dtrain_step_seconds", "histogram", "Wall time of a training step.");
    long[] b = s.stepBuckets();
    for (int i = 0; i < JobStatus.STEP_BUCKETS.length; i++) {
      p.sample("dtrain_step_seconds_bucket", "le", number(JobStatus.STEP_BUCKETS[i]), b[i]);
    }
    p.sample("dtrain_step_seconds_bucket", "le", "+Inf", b[b.length - 1]);
    p.sample("dtrain_step_seconds_sum", null, null, s.stepSecondsSum());
    p.sample("dtrain_step_seconds_count", null, null, b[b.length - 1]);
    p.header("dtrain_worker_compute_seconds", "gauge",
        "A worker's compute time in the last step it took part in.");
    for (JobStatus.WorkerView w : s.workers()) {
      if (!Double.isNaN(w.lastStepMs())) {
        p.sample("dtrain_worker_compute_seconds", "worker", w.id(), w.lastStepMs() / 1e3);
      }
    }
    p.metric("dtrain_bytes_sent_total", "counter", "Bytes the coordinator sent to its workers.",
        s.bytesSent());
    p.metric("dtrain_bytes_received_total", "counter",
        "Bytes the coordinator received from its workers.", s.bytesReceived());
    p.metric("dtrain_workers_live", "gauge", "Workers in the job.",
        s.workers().stream().filter(w -> !w.state().equals("joining")).count());
    p.header("dtrain_job_state", "gauge", "1 for the job's current state, 0 for the others.");
    for (JobStatus.State st : JobStatus.State.values()) {
      p.sample("dtrain_job_state", "state", st.json(), st == s.state() ? 1 : 0);
    }
    return p.sb.toString();
  }

  private void metric(String name, String type, String help, double value) {
    header(name, type, help);
    sample(name, null, null, value);
  }

  private void header(String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, String label, String labelValue, double value) {
    sb.append(name);
    if (label != null) {
      sb.append('{').append(label).append("=\"").append(escape(labelValue)).append("\"}");
    }
    sb.append(' ').append(number(value)).append('\n');
  }

  static String number(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return String.format(Locale.ROOT, "%.9g", v);
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
