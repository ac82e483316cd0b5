package org.dtrain.scale.predict;

import java.util.List;
import org.dtrain.data.Dataset;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.OptimizerConfig;

/**
 * What the real code costs on one core of this machine, for one model: the per-shard compute time
 * c(r) = a + b r of a shard's forward and backward pass over r rows, and the per-float costs of the
 * flat loops around it. Every cost is single-threaded (one shard, single-threaded BLAS, DESIGN.md).
 *
 * @param shard c(r): intercept a in ns, slope b in ns per row; fitted by least squares
 * @param addNanosPerFloat {@code Parameters.add}: one step of the shard tree (left += right)
 * @param snapshotNanosPerFloat {@code FloatChunk.copyOf}: a worker's copy of each partial it sends
 *     (the coordinator's copy of the weights is part of the update)
 * @param putNanosPerFloat writing a received chunk into a flat buffer: a worker assembling the
 *     weights
 * @param checkNanosPerFloat {@code Blas.allFinite} on a written range: the coordinator's NaN check
 *     of every received gradient chunk once it is put into the tree (put + check per float)
 * @param updateNanosPerFloat {@code Optimizer.step} from the two halves of the gradient sum for the
 *     job's optimizer (SGD, momentum and Adam differ): the tree's root addition, the division, the
 *     update and the copy of the new weights for the workers, in one pass, as the coordinator makes
 *     them (a root that comes whole, in tree reduction, is charged the same: a little too much)
 * @param timings the measured points c was fitted to; empty when the profile was written by hand
 */
public record ComputeProfile(LinearFit shard, double addNanosPerFloat,
    double snapshotNanosPerFloat, double putNanosPerFloat, double checkNanosPerFloat,
    double updateNanosPerFloat, List<ShardTiming> timings) {

  public ComputeProfile {
    timings = List.copyOf(timings);
    for (double v : new double[] {addNanosPerFloat, snapshotNanosPerFloat, putNanosPerFloat,
        checkNanosPerFloat, updateNanosPerFloat}) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("expected per-float costs >= 0 ns, found " + v);
      }
    }
  }

  /** c(r) = a + b r, in nanoseconds, never below 0 (a fitted a may be negative). */
  public double shardNanos(double rows) {
    return Math.max(0, shard.at(rows));
  }

  /** Fits c(r) to measured points; the per-float costs are given. */
  public static ComputeProfile fit(List<ShardTiming> timings, double addNanosPerFloat,
      double snapshotNanosPerFloat, double putNanosPerFloat, double checkNanosPerFloat,
      double updateNanosPerFloat) {
    double[] x = new double[timings.size()];
    double[] y = new double[timings.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = timings.get(i).rows();
      y[i] = timings.get(i).nanos();
    }
    return new ComputeProfile(LinearFit.leastSquares(x, y), addNanosPerFloat,
        snapshotNanosPerFloat, putNanosPerFloat, checkNanosPerFloat, updateNanosPerFloat, timings);
  }

  /**
   * Times the real code on this machine, in the calling thread: the worker's {@code StepRunner} on
   * a shard of r rows of {@code data} (rows repeat when r exceeds them) for each of the option's
   * row counts, and the flat loops at this model's parameter count P. Each timing is the median of
   * the repeats after the warm-up. Takes about 10 warm-ups (5 row counts, 5 loops) plus the repeats
   * of each; allocates a few copies of the P parameters.
   *
   * @param data rows with the model's inputs and outputs
   * @param optimizer the job's optimizer: its update is what {@link #updateNanosPerFloat} times
   */
  public static ComputeProfile measure(ModelSpec spec, Dataset data, OptimizerConfig optimizer,
      MeasureOptions options) {
    return new ProfileTimer(spec, data, optimizer, options).measure();
  }
}
