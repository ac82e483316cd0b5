package org.dtrain.coordinator;

import java.util.ArrayList;
import java.util.List;
import org.dtrain.data.Dataset;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Initializer;
import org.dtrain.nn.Network;
import org.dtrain.nn.Optimizer;
import org.dtrain.nn.Parameters;

/**
 * The training loop, written once: per step, get the reduced gradient sum of all shards, divide it
 * once by the sample count, apply the optimizer; per epoch, evaluate and report.
 */
public final class TrainingLoop {
  /** The trained parameters and the per-epoch history. */
  public record Result(Parameters parameters, List<EpochMetrics> history) {}

  private final TrainingPlan plan;
  private final GradientSource source;
  private final Dataset test; // may be null
  private final TrainingListener listener;

  public TrainingLoop(TrainingPlan plan, GradientSource source, Dataset test,
      TrainingListener listener) {
    this.plan = plan;
    this.source = source;
    this.test = test;
    this.listener = listener;
  }

  public Result run() {
    Parameters params = Parameters.zeros(plan.spec());
    Initializer.initialize(params, plan.seed());
    Optimizer optimizer = new Optimizer(plan.optimizer(), plan.spec());
    Parameters grad = Parameters.zeros(plan.spec());
    Evaluator evaluator = test == null ? null : new Evaluator(new Network(plan.spec()), test.rows());
    List<EpochMetrics> history = new ArrayList<>();

    long started = System.nanoTime();
    long epochStarted = started;
    BatchStats epochStats = BatchStats.EMPTY;
    int T = plan.stepsPerEpoch();
    for (long t = 0; t < plan.totalSteps(); t++) {
      long epoch = t / T;
      int j = (int) (t % T);
      BatchStats stats = source.gradientSum(params, epoch, j, grad);
      if (!Double.isFinite(stats.lossSum())) {
        throw new DivergedException("training diverged at step " + (t + 1) + " (epoch " + (epoch + 1)
            + "): the loss is " + stats.lossSum() + "; no model was saved (try a smaller --lr)");
      }
      grad.divide(stats.samples());
      optimizer.step(params, grad, plan.schedule().at(t));
      epochStats = epochStats.plus(stats);
      listener.stepDone(t + 1, plan.totalSteps());

      if (j == T - 1 || t == plan.totalSteps() - 1) {
        long now = System.nanoTime();
        if (!params.allFinite()) {
          throw new DivergedException("training diverged at step " + (t + 1) + " (epoch "
              + (epoch + 1) + "): a weight became NaN or infinite; no model was saved (try a smaller --lr)");
        }
        double secs = (now - epochStarted) / 1e9;
        BatchStats testStats = evaluator == null ? null : evaluator.evaluate(params, test);
        EpochMetrics m = new EpochMetrics(t + 1, epoch + 1, epochStats.meanLoss(),
            plan.accuracyMeaningful() ? epochStats.accuracy() : Double.NaN,
            testStats == null ? Double.NaN : testStats.meanLoss(),
            testStats == null || !plan.accuracyMeaningful() ? Double.NaN : testStats.accuracy(),
            epochStats.samples() / Math.max(secs, 1e-9), (now - started) / 1_000_000);
        history.add(m);
        listener.epochDone(m, plan.epochs());
        epochStats = BatchStats.EMPTY;
        epochStarted = System.nanoTime();
      }
    }
    return new Result(params, history);
  }
}
