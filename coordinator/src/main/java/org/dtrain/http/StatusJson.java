package org.dtrain.http;

import java.util.List;
import org.dtrain.coordinator.EpochMetrics;
import org.dtrain.coordinator.JobStatus;

/** The bodies of {@code GET /api/status} and {@code GET /api/history}. */
final class StatusJson {
  private StatusJson() {}

  /**
   * {@code job, state, message, step, total_steps, epoch, epochs, loss, accuracy, test_accuracy,
   * samples_per_s, step_ms, learning_rate, bytes_sent, bytes_received, workers: [id, address,
   * shards, last_step_ms, state]}; numbers not known yet are null.
   */
  static String status(JobStatus.Snapshot s) {
    EpochMetrics m = s.last();
    Json j = new Json().beginObject()
        .field("job", s.job())
        .field("state", s.state().json())
        .field("message", s.message())
        .field("step", m == null ? 0 : m.step())
        .field("total_steps", s.totalSteps())
        .field("epoch", m == null ? 0 : m.epoch())
        .field("epochs", s.epochs())
        .field("loss", m == null ? Double.NaN : m.loss())
        .field("accuracy", m == null ? Double.NaN : m.accuracy())
        .field("test_loss", s.testLoss())
        .field("test_accuracy", s.testAccuracy())
        .field("samples_per_s", s.recentSamplesPerS())
        .field("step_ms", m == null ? Double.NaN : m.stepMs())
        .field("learning_rate", m == null ? Double.NaN : m.learningRate())
        .field("bytes_sent", s.bytesSent())
        .field("bytes_received", s.bytesReceived());
    j.key("workers").beginArray();
    for (JobStatus.WorkerView w : s.workers()) {
      j.beginObject().field("id", w.id()).field("address", w.address());
      j.key("shards").beginArray();
      for (int shard : w.shards()) j.value(shard);
      j.endArray();
      j.field("last_step_ms", w.lastStepMs()).field("state", w.state()).endObject();
    }
    return j.endArray().endObject().toString();
  }

  /** {@code {"rows": [...]}}, one object per kept step row, oldest first. */
  static String history(List<EpochMetrics> rows) {
    Json j = new Json().beginObject().key("rows").beginArray();
    for (EpochMetrics r : rows) {
      j.beginObject()
          .field("step", r.step()).field("epoch", r.epoch())
          .field("loss", r.loss()).field("accuracy", r.accuracy())
          .field("test_loss", r.testLoss()).field("test_accuracy", r.testAccuracy())
          .field("samples_per_s", r.samplesPerS()).field("step_ms", r.stepMs())
          .field("compute_ms", r.computeMs()).field("reduce_ms", r.reduceMs())
          .field("broadcast_ms", r.broadcastMs()).field("idle_pct", r.idlePct())
          .field("learning_rate", r.learningRate()).field("wall_ms", r.wallMs())
          .endObject();
    }
    return j.endArray().endObject().toString();
  }
}
