package org.dtrain.cli;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dtrain.coordinator.Job;
import org.dtrain.coordinator.JobStatus;
import org.dtrain.coordinator.LocalCluster;
import org.dtrain.coordinator.Reduction;
import org.dtrain.coordinator.TrainingLoop;
import org.dtrain.sim.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dtrain train}: trains a model on a cluster of worker actors in this JVM. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains a multilayer perceptron by mini-batch gradient descent.",
        "Runs a cluster of worker actors in this JVM: the coordinator shards the rows, the workers compute the shards' gradients, the coordinator adds them in a fixed tree (or, with --reduction tree, the workers add them among themselves in the same tree), updates and broadcasts the weights.",
        "Without --data (and without --config) it runs the default job: 784-256-128-10 ReLU on the bundled MNIST 10k split."},
    footer = {"", "Examples:",
        "  dtrain train",
        "  dtrain train --data examples/data/iris.csv --test-fraction 0.2 --layers auto,16,auto --epochs 100 --scale standard",
        "  dtrain train --data examples/data/digits.csv.gz --workers 4 --reduction tree --fan-in 3",
        "  dtrain train --data synthetic:xor --layers 2,2,1 --hidden-activation sigmoid --output-activation sigmoid --loss mse --lr 2 --batch-size full --epochs 3000",
        "  dtrain train --workers 2 --sim-latency 200us --sim-bandwidth 1Gbit --sim-slow-worker 1:3x",
        "", "Exit codes: 0 success, 2 bad input or usage, 1 failure while running (e.g. the loss became NaN)."})
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin JobOptions job;
  @Mixin TrainOptions train;
  @Mixin SimOptions sim;
  @Mixin ReductionOptions reduction;

  @Override
  public Integer call() throws IOException {
    Reduction r = reduction.reduction();
    java.time.Duration stepTimeout = train.stepTimeout(); // checked before anything starts
    return train.run(spec, job, Map.of(), new TrainOptions.Launcher() {
      @Override
      public String prepare(Job j) {
        Simulation s = sim.simulation(j.workers());
        if (s.simulatesNetwork() && r.isTree()) {
          throw new IllegalArgumentException("--reduction tree: workers send partials to each other"
              + " outside the simulated network, so --sim-latency and --sim-bandwidth work with"
              + " --reduction star only");
        }
        return s.isNone() ? "" : s.describe();
      }

      @Override
      public TrainingLoop.Result train(TrainingLoop loop, Job j, JobStatus status) {
        return LocalCluster.train(loop, j.train(), j.shards(), j.workers(),
            LocalCluster.Options.defaults().withStatus(status).withStepTimeout(stepTimeout)
                .withSimulation(sim.simulation(j.workers())).withReduction(r));
      }
    });
  }
}
