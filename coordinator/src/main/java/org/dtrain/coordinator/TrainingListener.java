package org.dtrain.coordinator;

/** Hears the training loop: every step (progress, per-step metrics) and every epoch end. */
public interface TrainingListener {
  /** @param row this step's metrics; test columns are filled on the step that ends an epoch */
  default void stepDone(EpochMetrics row, long totalSteps) {}

  default void epochDone(EpochMetrics m, long epochs) {}
}
