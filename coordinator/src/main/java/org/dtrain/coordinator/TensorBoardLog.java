package org.dtrain.coordinator;

import java.nio.file.Path;
import org.dtrain.tensorboard.EventWriter;

/**
 * {@code --tensorboard DIR}: the training curves as TensorBoard event files. Every step writes the
 * scalars {@code loss}, {@code accuracy} (when meaningful), {@code learning_rate} and
 * {@code samples_per_s}; every epoch end adds {@code test_loss} and {@code test_accuracy} when there
 * is test data. Each step's events are flushed, so a running TensorBoard shows them live.
 */
public final class TensorBoardLog implements TrainingListener, AutoCloseable {
  private final EventWriter events;
  private final double startSeconds = System.currentTimeMillis() / 1e3;

  private TensorBoardLog(EventWriter events) {
    this.events = events;
  }

  /** Opens a new event file in {@code dir} (created if missing). */
  public static TensorBoardLog open(Path dir) {
    return new TensorBoardLog(EventWriter.open(dir));
  }

  public Path file() {
    return events.path();
  }

  @Override
  public void stepDone(EpochMetrics row, long totalSteps) {
    double wall = startSeconds + row.wallMs() / 1e3;
    scalar("loss", row.step(), wall, row.loss());
    scalar("accuracy", row.step(), wall, row.accuracy());
    scalar("learning_rate", row.step(), wall, row.learningRate());
    scalar("samples_per_s", row.step(), wall, row.samplesPerS());
    events.flush();
  }

  @Override
  public void epochDone(EpochMetrics m, long epochs) {
    double wall = startSeconds + m.wallMs() / 1e3;
    scalar("test_loss", m.step(), wall, m.testLoss());
    scalar("test_accuracy", m.step(), wall, m.testAccuracy());
    events.flush();
  }

  private void scalar(String tag, long step, double wall, double value) {
    if (!Double.isNaN(value)) events.scalar(tag, step, wall, (float) value);
  }

  @Override
  public void close() {
    events.close();
  }
}
