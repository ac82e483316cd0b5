package org.dtrain.scale.predict;

import java.util.ArrayList;
import java.util.List;

/**
 * Predicted steps for every configuration of a {@link Sweep}, in the order networks, reductions,
 * worker counts (as listed). Deterministic.
 *
 * @param rows one per configuration
 */
public record PredictionTable(List<Prediction> rows) {
  public PredictionTable {
    rows = List.copyOf(rows);
  }

  /**
   * Predicts every configuration; speedup and efficiency are relative to 1 worker with the same
   * reduction and network (predicted too when 1 is not in the sweep).
   */
  public static PredictionTable predict(StepModel model, StepConfig base, Sweep sweep) {
    List<Prediction> out = new ArrayList<>();
    for (NetworkSpec net : sweep.networks()) {
      for (Reduction red : sweep.reductions()) {
        double one = model.predict(sweep.config(base, 1, red, net)).samplesPerSecond();
        for (int k : sweep.workers()) {
          StepPrediction step = model.predict(sweep.config(base, k, red, net));
          double rate = step.samplesPerSecond();
          out.add(new Prediction(step, rate, rate / one, rate / one / k));
        }
      }
    }
    return new PredictionTable(out);
  }

  /** The row of K workers with this reduction and network. */
  public Prediction row(int workers, Reduction reduction, NetworkSpec network) {
    for (Prediction p : rows) {
      if (p.workers() == workers && p.reduction().equals(reduction)
          && p.network().equals(network)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no row for " + workers + " workers, "
        + reduction.label() + ", network " + network.label());
  }
}
