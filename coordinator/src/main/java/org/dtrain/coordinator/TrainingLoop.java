package org.dtrain.coordinator;

import org.dtrain.data.Dataset;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Initializer;
import org.dtrain.nn.Network;
import org.dtrain.nn.Optimizer;
import org.dtrain.nn.Parameters;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop, written once, as a state machine that drivers step through: {@link #next()}
 * names the step, the driver gets the gradient sum of all shards for {@link #weights()} (computed
 * here, or by worker actors), and {@link #apply} divides it once by the sample count and applies the
 * optimizer; {@link #report} then tells the listener. {@link #run(GradientSource)} is the driver for
 * gradients computed in this thread; the coordinator actor is the driver for a cluster, and reports
 * while the next step is computed.
 */
public final class TrainingLoop {
  /** The trained parameters and the per-epoch history. */
  public record Result(Parameters parameters, List<EpochMetrics> history) {}

  /** Step t (0-based global), which is step {@code stepInEpoch} of epoch {@code epoch}. */
  public record Step(long t, long epoch, int stepInEpoch) {}

  private final TrainingPlan plan;
  private final Dataset test; // may be null
  private final TrainingListener listener;
  private Parameters params;   // in memory of its own, or where weightsIn moved them
  private final Optimizer optimizer;
  private final Evaluator evaluator;
  private final List<EpochMetrics> history = new ArrayList<>();
  private long started;        // when the first step started: wall_ms leaves out cluster start-up
  private boolean begun;       // a step was started in this process
  private long t;              // steps applied
  private Step pending;
  private long stepStarted;
  private Epoch epoch = new Epoch(System.nanoTime());
  private boolean snapshots;   // apply() also writes the new weights into a fresh array
  private float[] snapshot;    // the last one, until taken
  private final ArrayDeque<Runnable> unreported = new ArrayDeque<>(); // listener calls, in order

  public TrainingLoop(TrainingPlan plan, Dataset test, TrainingListener listener) {
    this.plan = plan;
    this.test = test;
    this.listener = listener;
    this.params = Parameters.zeros(plan.spec());
    Initializer.initialize(params, plan.seed());
    this.optimizer = new Optimizer(plan.optimizer(), plan.spec());
    this.evaluator = test == null ? null : new Evaluator(new Network(plan.spec()), test.rows());
  }

  /** Trains with gradients computed by {@code source} in this thread. */
  public Result run(GradientSource source) {
    while (hasNext()) {
      Step s = next();
      long t0 = System.nanoTime();
      GradientSource.Sum sum = source.gradientSum(params, s.epoch(), s.stepInEpoch());
      apply(sum.stats(), sum.gradient(), StepTimes.local(System.nanoTime() - t0));
      report();
    }
    return result();
  }

  public TrainingPlan plan() {
    return plan;
  }

  public boolean hasNext() {
    return t < plan.totalSteps();
  }

  /** The next step to compute; its weights are {@link #weights()} until {@link #apply}. */
  public Step next() {
    if (pending != null) throw new IllegalStateException("step " + pending.t() + " is not applied");
    if (!hasNext()) throw new IllegalStateException("training is over");
    int T = plan.stepsPerEpoch();
    pending = new Step(t, t / T, (int) (t % T));
    stepStarted = System.nanoTime();
    if (!begun) {
      begun = true;
      started = stepStarted;
      epoch = new Epoch(stepStarted);
    }
    return pending;
  }

  /** Optimizer steps applied so far. */
  public long stepsDone() {
    return t;
  }

  /** The optimizer, whose state a checkpoint saves: read it, never write it. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * Continues after step {@code step} of an earlier run of the same job: its weights and optimizer
   * state. The next step is step + 1, with the rows and learning rate it would have had.
   *
   * @param firstMoment null unless the optimizer keeps one; likewise secondMoment
   */
  public void resume(long step, Parameters weights, float[] firstMoment, float[] secondMoment,
      long updates) {
    if (t != 0 || pending != null) throw new IllegalStateException("training has begun");
    if (step < 0 || step > plan.totalSteps()) {
      throw new IllegalArgumentException("step " + step + " of a job of " + plan.totalSteps()
          + " steps");
    }
    if ((firstMoment == null) != (optimizer.firstMoment() == null)
        || (secondMoment == null) != (optimizer.secondMoment() == null)) {
      throw new IllegalArgumentException("the optimizer state does not fit " + plan.optimizer());
    }
    params.values().put(0, weights.values(), 0, params.count());
    snapshot = null;
    if (firstMoment != null) optimizer.firstMoment().put(0, firstMoment);
    if (secondMoment != null) optimizer.secondMoment().put(0, secondMoment);
    optimizer.restoreUpdates(updates);
    t = step;
  }

  /**
   * From now on (until called with false), {@link #apply} writes the new weights into a fresh array
   * as well, in the same pass as the update, for {@link #takeSnapshot}: the copy a cluster sends to
   * its workers.
   */
  public void keepSnapshots(boolean keep) {
    snapshots = keep;
    if (!keep) snapshot = null;
  }

  /**
   * The weights after the last {@link #apply} as a new array that nothing else holds or writes, or
   * null when there is none (before the first apply, after a resume, or when taken already).
   */
  public float[] takeSnapshot() {
    float[] s = snapshot;
    snapshot = null;
    return s;
  }

  /**
   * From now on the weights live in {@code memory} (at least the parameter count, from index 0):
   * their values are copied there, and every update writes them there. A multi-node coordinator
   * keeps them in memory its data links send from ({@link ClusterJob#weightsLiveIn}). Any time on
   * the thread that applies the steps.
   */
  public void weightsIn(FloatBuffer memory) {
    Parameters moved = Parameters.wrap(plan.spec(), memory);
    moved.copyFrom(params);
    params = moved;
  }

  /** The current weights: read them, never write them. */
  public Parameters weights() {
    return params;
  }

  /**
   * Finishes the pending step: the update, the step's metrics row and, at an epoch's end, the
   * checks and the test set. The listener hears of it at the next {@link #report}.
   *
   * @param gradSum the gradient sum of all shards; left as it is
   * @throws DivergedException when the loss or a weight is no longer finite
   */
  public void apply(BatchStats stats, Parameters gradSum, StepTimes times) {
    apply(stats, gradSum, null, times);
  }

  /**
   * {@link #apply(BatchStats, Parameters, StepTimes)} with the gradient sum still in two halves,
   * {@code left + right} ({@link org.dtrain.worker.ShardTree#rootHalves}): the optimizer adds them in
   * its pass, for the same bits. Both are left as they are; right may be null.
   */
  public void apply(BatchStats stats, Parameters left, Parameters right, StepTimes times) {
    Step s = pending;
    if (s == null) throw new IllegalStateException("no step is pending");
    if (!Double.isFinite(stats.lossSum())) {
      throw new DivergedException("training diverged at step " + (s.t() + 1) + " (epoch "
          + (s.epoch() + 1) + "): the loss is " + stats.lossSum()
          + "; no model was saved (try a smaller --lr)");
    }
    long u0 = System.nanoTime();
    float lr = plan.schedule().at(s.t());
    snapshot = snapshots ? new float[params.count()] : null;
    optimizer.step(params, left, right, stats.samples(), lr, snapshot); // divides as it goes
    long now = System.nanoTime();
    StepTimes st = new StepTimes(times.computeNanos(), times.reduceNanos() + (now - u0),
        times.broadcastNanos(), times.busyFraction());
    pending = null;
    t++;
    epoch.add(stats, st, lr);

    boolean epochEnds = s.stepInEpoch() == plan.stepsPerEpoch() - 1 || !hasNext();
    BatchStats testStats = null;
    if (epochEnds) {
      if (!params.allFinite()) {
        throw new DivergedException("training diverged at step " + t + " (epoch "
            + (s.epoch() + 1) + "): a weight became NaN or infinite; no model was saved (try a smaller --lr)");
      }
      testStats = evaluator == null ? null : evaluator.evaluate(params, test);
    }
    Epoch one = new Epoch(stepStarted);
    one.add(stats, st, lr);
    EpochMetrics row = one.row(t, s.epoch() + 1, testStats, now);
    unreported.add(() -> listener.stepDone(row, plan.totalSteps()));
    if (epochEnds) {
      EpochMetrics m = epoch.row(t, s.epoch() + 1, testStats, now);
      history.add(m);
      unreported.add(() -> listener.epochDone(m, plan.epochs()));
      epoch = new Epoch(System.nanoTime());
    }
  }

  /**
   * Tells the listener about the steps applied since the last call, in order (metrics rows, the
   * status page, progress, checkpoints). A cluster calls it when the next step's first partial is
   * in, while other workers still compute: formatting a CSV row took about 150 µs of a 22 ms step
   * between the update and the send, and right after the send it slowed the workers' start as much
   * (docs/PERFORMANCE.md). The weights and optimizer state a listener reads are those after the last
   * apply until the next one.
   */
  public void report() {
    for (Runnable r; (r = unreported.poll()) != null; ) r.run();
  }

  /** The result once every step is applied; reports what is left first. */
  public Result result() {
    if (hasNext() || pending != null) throw new IllegalStateException("training is not over");
    report();
    return new Result(params, history);
  }

  /** Sums over the steps of one metrics row. */
  private final class Epoch {
    final long from;
    BatchStats stats = BatchStats.EMPTY;
    long steps;
    long compute;
    long reduce;
    long broadcast;
    double busy;
    float lr;

    Epoch(long from) {
      this.from = from;
    }

    void add(BatchStats s, StepTimes st, float learningRate) {
      lr = learningRate;
      stats = stats.plus(s);
      steps++;
      compute += st.computeNanos();
      reduce += st.reduceNanos();
      broadcast += st.broadcastNanos();
      busy += st.busyFraction();
    }

    EpochMetrics row(long step, long epochNo, BatchStats testStats, long now) {
      double secs = (now - from) / 1e9;
      double n = Math.max(1, steps);
      boolean acc = plan.accuracyMeaningful();
      return new EpochMetrics(step, epochNo, stats.meanLoss(), acc ? stats.accuracy() : Double.NaN,
          testStats == null ? Double.NaN : testStats.meanLoss(),
          testStats == null || !acc ? Double.NaN : testStats.accuracy(),
          stats.samples() / Math.max(secs, 1e-9), (now - started) / 1_000_000,
          compute / n / 1e6, reduce / n / 1e6, broadcast / n / 1e6,
          Math.max(0, 100 * (1 - busy / n)), stats.samples(), (now - from) / 1e6 / n, lr);
    }
  }
}
