package org.dtrain.coordinator;

import java.util.ArrayList;
import java.util.List;
import org.dtrain.data.Dataset;
import org.dtrain.data.ShardPlan;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Parameters;
import org.dtrain.worker.ShardData;
import org.dtrain.worker.ShardTree;
import org.dtrain.worker.StepRunner;

/**
 * Every shard computed in the calling thread, one after the other, and added in the shard tree: the
 * single-process trainer, and the reference the cluster must match bit for bit.
 */
public final class LocalShards implements GradientSource {
  private final List<StepRunner> runners = new ArrayList<>();
  private final ShardTree tree;

  public LocalShards(ModelSpec spec, Dataset train, ShardPlan plan, long seed, int stepsPerEpoch,
      boolean fullBatch) {
    for (int s = 0; s < plan.shards(); s++) {
      ShardData data = ShardData.slice(s, train.x(), train.y(), train.features(), train.outputs(),
          plan.start(s), plan.size(s));
      runners.add(new StepRunner(spec, data, seed, stepsPerEpoch, fullBatch));
    }
    tree = new ShardTree(spec, plan.shards());
  }

  @Override
  public Sum gradientSum(Parameters weights, long epoch, int stepInEpoch) {
    tree.reset();
    for (int s = 0; s < runners.size(); s++) {
      tree.complete(s, 0, runners.get(s).run(weights, epoch, stepInEpoch, tree.buffer(s)));
    }
    return new Sum(tree.root(), tree.rootStats());
  }
}
