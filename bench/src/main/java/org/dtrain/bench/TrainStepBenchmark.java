package org.dtrain.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.dtrain.nn.Activation;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Initializer;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Network;
import org.dtrain.nn.Optimizer;
import org.dtrain.nn.OptimizerConfig;
import org.dtrain.nn.Parameters;
import org.dtrain.nn.Workspace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full training step of 784-256-128-10 (relu hidden, softmax output, cross_entropy) with SGD at
 * lr 0.01, single thread: {@link Workspace#load} of the next batch from preallocated random data,
 * {@link Network#gradientSum}, {@link Optimizer#step} from the sum (dividing it by the batch as it
 * goes, as the training loop does).
 *
 * <p>Reported as average time per step (µs/op). Samples/s = batch / (time per step); {@code compare.sh}
 * does that conversion. {@code @OperationsPerInvocation} would give samples/s directly but takes only a
 * compile-time constant, so it cannot follow {@code @Param batch}; one method per batch size would
 * triplicate the code for no gain in accuracy.
 *
 * <p>The data set holds {@value #DATA_ROWS} rows (25 MB of features, more than any cache) and each step
 * takes the next batch of consecutive rows, wrapping around, so the copy reads from memory as a real
 * epoch would. The PyTorch script copies each batch into a preallocated tensor the same way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrainStepBenchmark {
  static final int DATA_ROWS = 8192;
  static final int[] SIZES = {784, 256, 128, 10};
  static final float LR = 0.01f;

  @Param({"64", "256", "4096"})
  public int batch;

  private Network net;
  private Parameters params;
  private Parameters grad;
  private Workspace ws;
  private Optimizer opt;
  private float[] features;
  private float[] targets;
  private int batchesPerEpoch;
  private int next;

  @Setup(Level.Trial)
  public void setup() {
    BenchSupport.requireSingleThreadBlas();
    ModelSpec spec = ModelSpec.of(SIZES, Activation.of(Activation.Kind.RELU),
        Activation.of(Activation.Kind.SOFTMAX), Loss.CROSS_ENTROPY);
    net = new Network(spec);
    params = Parameters.zeros(spec);
    Initializer.initialize(params, 42);
    grad = Parameters.zeros(spec);
    ws = new Workspace(spec, batch);
    opt = new Optimizer(OptimizerConfig.of(OptimizerConfig.Kind.SGD), spec);

    int in = spec.inputs();
    int out = spec.outputs();
    SplittableRandom rng = new SplittableRandom(7);
    features = new float[DATA_ROWS * in];
    for (int i = 0; i < features.length; i++) features[i] = (float) rng.nextDouble();
    targets = new float[DATA_ROWS * out];
    for (int r = 0; r < DATA_ROWS; r++) targets[r * out + rng.nextInt(out)] = 1f;
    batchesPerEpoch = DATA_ROWS / batch;
    next = 0;
  }

  @Benchmark
  public double step() {
    int start = next * batch;
    next = next + 1 == batchesPerEpoch ? 0 : next + 1;
    ws.load(features, targets, start, batch);
    BatchStats s = net.gradientSum(params, ws, batch, grad);
    opt.step(params, grad, batch, LR, null); // divides the sum as it steps, as the training loop does
    return s.lossSum();
  }

  @TearDown(Level.Trial)
  public void check() {
    if (!params.allFinite()) {
      throw new IllegalStateException("parameters went non-finite during the benchmark");
    }
  }
}
