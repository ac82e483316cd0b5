package org.dtrain.coordinator;

import java.util.ArrayList;
import java.util.List;
import org.dtrain.data.Dataset;
import org.dtrain.data.ShardPlan;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Parameters;
import org.dtrain.worker.ShardData;
import org.dtrain.worker.StepRunner;

/** Every shard computed in the calling thread, one after the other, then reduced in the shard tree. */
public final class LocalShards implements GradientSource {
  private final List<StepRunner> runners = new ArrayList<>();
  private final List<Parameters> partials = new ArrayList<>();

  public LocalShards(ModelSpec spec, Dataset train, ShardPlan plan, long seed, int stepsPerEpoch,
      boolean fullBatch) {
    for (int s = 0; s < plan.shards(); s++) {
      ShardData data = ShardData.slice(s, train.x(), train.y(), train.features(), train.outputs(),
          plan.start(s), plan.size(s));
      runners.add(new StepRunner(spec, data, seed, stepsPerEpoch, fullBatch));
      partials.add(s == 0 ? null : Parameters.zeros(spec)); // shard 0 sums straight into grad
    }
  }

  @Override
  public BatchStats gradientSum(Parameters weights, long epoch, int stepInEpoch, Parameters grad) {
    BatchStats total = BatchStats.EMPTY;
    partials.set(0, grad);
    for (int s = 0; s < runners.size(); s++) {
      total = total.plus(runners.get(s).run(weights, epoch, stepInEpoch, partials.get(s)));
    }
    ReductionTree.reduce(partials);
    return total;
  }
}
