package org.dtrain.bench;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.dtrain.math.Blas;
import org.dtrain.math.Buffers;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three GEMMs of one dense layer of the {@link TrainStepBenchmark} model, alone, exactly as
 * {@code Network} calls them (row-major, single-threaded BLAS), at the layer 784 → 256 that holds
 * 85% of the parameters:
 * <ul>
 *   <li>{@code forward}: Z = A Wᵀ, A (batch, 784), W (256, 784): NT;
 *   <li>{@code weightGradient}: dW = dZᵀ A, dZ (batch, 256): TN, the sum over the batch rows;
 *   <li>{@code inputGradient}: dA = dZ W: NN (the step skips it for the first layer; timed here for
 *       the shape).
 * </ul>
 * {@code bench/torch_gemm.py} times the same products in PyTorch, so that a gap in the step
 * benchmark can be put on a GEMM or on the rest.
 *
 * <p>The {@code ...T} variants are the same products with the activations stored feature-major, (n,
 * batch), the layout of the lectures' {@code Z = W A}: forward W Aᵀ (NN), dW = dZᵀ (Aᵀ)ᵀ (NT),
 * dAᵀ = Wᵀ dZᵀ (TN). They answer whether a transposed layout would get OpenBLAS closer to MKL on the
 * weight gradient (docs/PERFORMANCE.md, 2026-11-27: 0.5 ms of 6.0 at batch 2048, less than the
 * transposes would cost, so the layout stays row-major).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {
  static final int IN = 784;
  static final int OUT = 256;

  @Param({"256", "4096"})
  public int batch;

  private Blas blas;
  private FloatBuffer a;   // (batch, IN)
  private FloatBuffer w;   // (OUT, IN)
  private FloatBuffer z;   // (batch, OUT)
  private FloatBuffer dz;  // (batch, OUT)
  private FloatBuffer dw;  // (OUT, IN)
  private FloatBuffer da;  // (batch, IN)
  private FloatBuffer at;  // (IN, batch)
  private FloatBuffer zt;  // (OUT, batch)
  private FloatBuffer dzt; // (OUT, batch)
  private FloatBuffer dat; // (IN, batch)

  @Setup(Level.Trial)
  public void setup() {
    BenchSupport.requireSingleThreadBlas();
    blas = Blas.get();
    SplittableRandom rnd = new SplittableRandom(7);
    a = filled(batch * IN, rnd);
    w = filled(OUT * IN, rnd);
    z = filled(batch * OUT, rnd);
    dz = filled(batch * OUT, rnd);
    dw = filled(OUT * IN, rnd);
    da = filled(batch * IN, rnd);
    at = filled(batch * IN, rnd);
    zt = filled(batch * OUT, rnd);
    dzt = filled(batch * OUT, rnd);
    dat = filled(batch * IN, rnd);
  }

  private static FloatBuffer filled(int n, SplittableRandom rnd) {
    FloatBuffer b = Buffers.allocate(n);
    for (int i = 0; i < n; i++) b.put(i, (float) (rnd.nextDouble() - 0.5));
    return b;
  }

  @Benchmark
  public FloatBuffer forward() {
    blas.gemm(false, true, batch, OUT, IN, 1f, a, IN, w, IN, 0f, z, OUT);
    return z;
  }

  @Benchmark
  public FloatBuffer weightGradient() {
    blas.gemm(true, false, OUT, IN, batch, 1f, dz, OUT, a, IN, 0f, dw, IN);
    return dw;
  }

  @Benchmark
  public FloatBuffer inputGradient() {
    blas.gemm(false, false, batch, IN, OUT, 1f, dz, OUT, w, IN, 0f, da, IN);
    return da;
  }

  @Benchmark
  public FloatBuffer forwardT() {
    blas.gemm(false, false, OUT, batch, IN, 1f, w, IN, at, batch, 0f, zt, batch);
    return zt;
  }

  @Benchmark
  public FloatBuffer weightGradientT() {
    blas.gemm(false, true, OUT, IN, batch, 1f, dzt, batch, at, batch, 0f, dw, IN);
    return dw;
  }

  @Benchmark
  public FloatBuffer inputGradientT() {
    blas.gemm(true, false, IN, batch, OUT, 1f, w, IN, dzt, batch, 0f, dat, batch);
    return dat;
  }
}
