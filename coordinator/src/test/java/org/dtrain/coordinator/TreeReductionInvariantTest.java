package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.dtrain.data.ShardPlan;
import org.dtrain.nn.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --reduction tree} changes no bit: with 1 to 5 workers and fan-in 2 and 3, on the bundled iris
 * data over 16 shards, the cluster writes the weights of star reduction and of the single-process
 * trainer, also with every message serialized through protobuf; and the coordinator receives far
 * fewer bytes.
 */
class TreeReductionInvariantTest {
  private static final int SHARDS = 16;
  private static final Config QUIET = ConfigFactory.parseString("akka.loglevel = ERROR");

  private static Job job;
  private static ShardPlan plan;
  private static Parameters reference;

  @BeforeAll
  static void setUp() {
    job = Recipes.job("data", Recipes.DATA + "iris.csv", "layers", "auto,16,auto",
        "scale", "standard", "seed", 17, "optimizer", "adam", "lr", 0.01, "batch-size", 48,
        "steps", 12);
    plan = new ShardPlan(job.train().rows(), SHARDS);
    reference = Recipes.singleProcess(job, plan).parameters();
  }

  private static Parameters train(int workers, Reduction reduction, Config overrides,
      JobStatus status) {
    TrainingLoop loop = new TrainingLoop(job.plan(), null, new TrainingListener() {});
    return LocalCluster.train(loop, job.train(), plan, workers, LocalCluster.Options.defaults()
        .withOverrides(overrides.withFallback(QUIET)).withStatus(status)
        .withReduction(reduction)).parameters();
  }

  @Test
  void treeReductionOnOneToFiveWorkersWithFanIn2And3IsStarBitForBit() {
    Parameters star = train(3, Reduction.star(), ConfigFactory.empty(), new JobStatus());
    ClusterInvariantTest.assertSameBits(reference, star, "star, 3 workers");
    for (int fanIn = 2; fanIn <= 3; fanIn++) {
      for (int k = 1; k <= 5; k++) {
        ClusterInvariantTest.assertSameBits(star, train(k, Reduction.tree(fanIn), ConfigFactory.empty(),
            new JobStatus()), "tree, fan-in " + fanIn + ", " + k + " workers");
      }
    }
  }

  @Test
  void everyMessageThroughProtobufChangesNoBitAndTheCoordinatorReceivesLess() {
    Config serialize = ConfigFactory.parseString("akka.actor.serialize-messages = on");
    JobStatus star = new JobStatus();
    JobStatus tree = new JobStatus();
    ClusterInvariantTest.assertSameBits(reference, train(5, Reduction.star(), serialize, star), "star, serialized");
    ClusterInvariantTest.assertSameBits(reference, train(5, Reduction.tree(2), serialize, tree), "tree, serialized");
    long starBytes = star.snapshot().bytesReceived();
    long treeBytes = tree.snapshot().bytesReceived();
    // 16 shards on 5 workers: 9 partials a step in star, 1 (the root's whole sum) in tree
    assertTrue(treeBytes * 4 < starBytes, "the coordinator received " + treeBytes
        + " bytes in tree reduction, " + starBytes + " in star");
  }
}
