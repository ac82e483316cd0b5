package org.dtrain.coordinator;

import org.dtrain.nn.LrSchedule;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.OptimizerConfig;

/**
 * What the training loop needs, resolved and checked: the model, the update rule, the seed and the
 * step counts. An epoch is {@code stepsPerEpoch} = ceil(rows / batch) steps.
 *
 * @param accuracyMeaningful false for regression on non-0/1 targets (accuracy is then reported empty)
 */
public record TrainingPlan(ModelSpec spec, OptimizerConfig optimizer, LrSchedule schedule, long seed,
    int stepsPerEpoch, long totalSteps, boolean fullBatch, boolean accuracyMeaningful) {

  /** Epochs touched by the run, the last possibly partial. */
  public long epochs() {
    return (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch;
  }
}
