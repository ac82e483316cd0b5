package org.dtrain.scale.predict;

/**
 * The discrete-event model of one training step (docs/SCALING.md, "The step model"): the
 * coordinator copies the weights and sends every worker its pieces; each worker computes its
 * shards on its cores, adds aligned subtrees and sends its partials (to the coordinator, or up the
 * reduction tree, where they are added again); the coordinator completes the shard tree, divides,
 * applies the optimizer. Messages are timed by {@link org.dtrain.sim.NetworkModel}; work by the
 * {@link CostModel}. Deterministic: the same inputs give the same prediction, bit for bit.
 * Thread-safe: every prediction runs on its own state.
 */
public final class StepModel {
  private final CostModel costs;

  public StepModel(CostModel costs) {
    if (costs == null) throw new IllegalArgumentException("expected costs, found null");
    this.costs = costs;
  }

  public CostModel costs() {
    return costs;
  }

  /** Simulates one step of {@code config}. */
  public StepPrediction predict(StepConfig config) {
    return new StepSimulation(config, costs).run();
  }
}
