package org.dtrain.coordinator;

/** Hears the training loop: every step (progress) and every epoch end (lines, metrics files). */
public interface TrainingListener {
  default void stepDone(long step, long totalSteps) {}

  default void epochDone(EpochMetrics m, long epochs) {}
}
