package org.dtrain.coordinator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dtrain.data.ShardPlan;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Network;

/** Trains a job given as flag/value pairs, in this thread, for tests. */
final class Recipes {
  static final String DATA = "../examples/data/";

  /** The job, its trained result, and the final parameters' stats on the train and test sets. */
  record Trained(Job job, TrainingLoop.Result result, BatchStats train, BatchStats test) {}

  private Recipes() {}

  /** The job given as flag/value pairs, resolved (data read, split, scaled). */
  static Job job(Object... keyValues) {
    Map<String, Object> flags = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) flags.put((String) keyValues[i], keyValues[i + 1]);
    return Job.resolve(JobConfig.load(flags, null));
  }

  /** The single-process trainer on {@code plan}: the reference every cluster run must match. */
  static TrainingLoop.Result singleProcess(Job job, ShardPlan plan) {
    try (LocalShards source = new LocalShards(job.plan().spec(), job.train(), plan,
        job.plan().seed(), job.plan().stepsPerEpoch(), job.plan().fullBatch())) {
      return new TrainingLoop(job.plan(), null, new TrainingListener() {}).run(source);
    }
  }

  static Trained train(Object... keyValues) {
    Job job = job(keyValues);
    TrainingLoop.Result r = singleProcess(job, new ShardPlan(job.train().rows(), 1));
    Network net = new Network(job.plan().spec());
    BatchStats train = new Evaluator(net, job.train().rows()).evaluate(r.parameters(), job.train());
    BatchStats test = job.test() == null ? null
        : new Evaluator(net, job.test().rows()).evaluate(r.parameters(), job.test());
    return new Trained(job, r, train, test);
  }
}
