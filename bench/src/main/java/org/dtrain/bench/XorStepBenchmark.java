package org.dtrain.bench;

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the XOR net 2-8-1 (sigmoid hidden, sigmoid output, mse) with SGD at lr 0.01 on
 * the whole truth table (batch 4), single thread: load, gradient sum, divide, step. Average time per
 * step in µs. At this size the step is all fixed overhead (calls, JNI into OpenBLAS, loop set-up).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class XorStepBenchmark {
  static final int BATCH = 4;
  static final float LR = 0.01f;
  static final float[] X = {0, 0, 0, 1, 1, 0, 1, 1};
  static final float[] Y = {0, 1, 1, 0};

  private Network net;
  private Parameters params;
  private Parameters grad;
  private Workspace ws;
  private Optimizer opt;

  @Setup(Level.Trial)
  public void setup() {
    BenchSupport.requireSingleThreadBlas();
    ModelSpec spec = ModelSpec.of(new int[] {2, 8, 1}, Activation.of(Activation.Kind.SIGMOID),
        Activation.of(Activation.Kind.SIGMOID), Loss.MSE);
    net = new Network(spec);
    params = Parameters.zeros(spec);
    Initializer.initialize(params, 42);
    grad = Parameters.zeros(spec);
    ws = new Workspace(spec, BATCH);
    opt = new Optimizer(OptimizerConfig.of(OptimizerConfig.Kind.SGD), spec);
  }

  @Benchmark
  public double step() {
    ws.load(X, Y, 0, BATCH);
    BatchStats s = net.gradientSum(params, ws, BATCH, grad);
    opt.step(params, grad, BATCH, LR, null); // divides the sum as it steps, as the training loop does
    return s.lossSum();
  }

  @TearDown(Level.Trial)
  public void check() {
    if (!params.allFinite()) {
      throw new IllegalStateException("parameters went non-finite during the benchmark");
    }
  }
}
