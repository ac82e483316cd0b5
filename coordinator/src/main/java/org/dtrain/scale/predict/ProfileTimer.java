package org.dtrain.scale.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtrain.data.Dataset;
import org.dtrain.math.Blas;
import org.dtrain.math.Buffers;
import org.dtrain.nn.Initializer;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Optimizer;
import org.dtrain.nn.OptimizerConfig;
import org.dtrain.nn.Parameters;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.worker.ShardData;
import org.dtrain.worker.StepRunner;

/** Times the code a step runs, for {@link ComputeProfile#measure}. Single-threaded. */
final class ProfileTimer {
  private static final long SEED = 1;

  private final ModelSpec spec;
  private final Dataset data;
  private final OptimizerConfig optimizer;
  private final MeasureOptions options;
  private final int p;

  ProfileTimer(ModelSpec spec, Dataset data, OptimizerConfig optimizer, MeasureOptions options) {
    if (data.features() != spec.inputs() || data.outputs() != spec.outputs()) {
      throw new IllegalArgumentException("expected data with " + spec.inputs() + " features and "
          + spec.outputs() + " outputs for " + spec.describe() + ", found " + data.features()
          + " and " + data.outputs());
    }
    this.spec = spec;
    this.data = data;
    this.optimizer = optimizer;
    this.options = options;
    this.p = spec.parameterCount();
  }

  ComputeProfile measure() {
    Parameters weights = Parameters.zeros(spec);
    Initializer.initialize(weights, SEED);
    Parameters grad = Parameters.zeros(spec);
    List<ShardTiming> timings = new ArrayList<>();
    for (int r : options.rows()) {
      // one shard of r rows, one step per epoch: every run computes all r rows, as a shard does
      // with its part of the global batch
      StepRunner runner = new StepRunner(spec, shard(r), SEED, 1, false);
      timings.add(new ShardTiming(r, median(() -> runner.run(weights, 0, 0, grad))));
    }

    Parameters a = Parameters.zeros(spec);
    Parameters b = weights.copy();
    // The flat loops over P floats are timed as their fastest repeat: the work is fixed, so
    // whatever a repeat takes beyond the fastest is noise (the collector, other processes).
    double add = fastest(() -> a.add(b)) / p;

    // The snapshot (FloatChunk.copyOf: a fresh P-float array, then the copy; a worker's partial) is
    // timed as the
    // copy into an array kept from call to call. Allocating thousands of P-float arrays in a row
    // sometimes makes every call take the kernel's page faults on fresh memory (10.5 ns per float
    // instead of 0.53 here, in one run of three); a job allocating one per step reuses memory the
    // collector freed, and its measured steps never showed that cost.
    float[] copy = new float[p];
    Object[] keep = {null};
    double snapshot = fastest(() -> {
      weights.values().get(0, copy, 0, p);
      keep[0] = copy;
    }) / p;

    List<FloatChunk> pieces = FloatChunk.copyOf(weights.values(), p).pieces(FloatChunk.MAX_FLOATS);
    Parameters into = Parameters.zeros(spec);
    double put = fastest(() -> {
      for (FloatChunk c : pieces) c.copyTo(into.values());
    }) / p;
    boolean[] finite = new boolean[1];
    Blas blas = Blas.get();
    double check = fastest(() -> { // as the coordinator checks each piece once it is written
      boolean all = true;
      for (FloatChunk c : pieces) {
        all &= blas.allFinite(Buffers.view(into.values(), c.offset(), c.length()), c.length());
      }
      finite[0] = all;
    }) / p;

    Parameters params = weights.copy();
    Parameters g = Parameters.zeros(spec);
    float[] small = new float[p];
    Arrays.fill(small, 1e-3f); // small steps from a fixed gradient: no denormals, no overflow
    g.values().put(0, small);
    Optimizer opt = new Optimizer(optimizer, spec);
    float[] out = new float[p];
    // as the training loop steps: the division, the update and the copy of the new weights that go
    // to the workers, in one pass (dividing by 1 leaves g as it is), from the sum's two halves as
    // the coordinator steps: the tree's root addition is made in the same pass (adding 0 here)
    Parameters right = Parameters.zeros(spec);
    double update = fastest(() -> opt.step(params, g, right, 1f, 1e-6f, out)) / p;

    if (keep[0] == null || !finite[0]) throw new IllegalStateException("timing went wrong");
    return ComputeProfile.fit(timings, add, snapshot, put, check, update);
  }

  /** The first r rows of the data, cycled when it has fewer. */
  private ShardData shard(int r) {
    int f = data.features();
    int o = data.outputs();
    float[] x = new float[Math.multiplyExact(r, f)]; // (r, f)
    float[] y = new float[Math.multiplyExact(r, o)]; // (r, o)
    for (int i = 0; i < r; i++) {
      int src = i % data.rows();
      System.arraycopy(data.x(), src * f, x, i * f, f);
      System.arraycopy(data.y(), src * o, y, i * o, o);
    }
    return new ShardData(0, r, f, o, x, y);
  }

  /** The median time of {@code op} over the repeats, after the warm-ups, in nanoseconds. */
  private double median(Runnable op) {
    long[] t = times(op);
    int n = t.length;
    return n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2.0;
  }

  /** The fastest time of {@code op} over the repeats, after the warm-ups, in nanoseconds. */
  private double fastest(Runnable op) {
    return times(op)[0];
  }

  /** The times of the repeats after the warm-ups, sorted. */
  private long[] times(Runnable op) {
    long until = System.nanoTime() + options.warmupMillis() * 1_000_000;
    for (int i = 0; i < options.warmups() || System.nanoTime() < until; i++) op.run();
    long[] t = new long[options.repeats()];
    for (int i = 0; i < t.length; i++) {
      long t0 = System.nanoTime();
      op.run();
      t[i] = System.nanoTime() - t0;
    }
    Arrays.sort(t);
    return t;
  }
}
