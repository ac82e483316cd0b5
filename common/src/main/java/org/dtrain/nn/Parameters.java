package org.dtrain.nn;

import java.nio.FloatBuffer;
import org.dtrain.math.Blas;
import org.dtrain.math.Buffers;
import org.dtrain.math.Scratch;

/**
 * All weights and biases of a model in one flat buffer, with named views per layer (llm.c style), so
 * that optimizers, gradient sums and the wire treat a model as one flat loop.
 *
 * <p>Layout: for each layer l in order, W_l (out, in) row-major, then b_l (out). A gradient has the same
 * layout, so a {@code Parameters} also holds gradient sums.
 */
public final class Parameters {
  private final ModelSpec spec;
  private final FloatBuffer values;   // (count)
  private final FloatBuffer[] weights; // W_l views, (out, in)
  private final FloatBuffer[] biases;  // b_l views, (out)
  private final int[] offsets;         // start of W_l in values

  private Parameters(ModelSpec spec, FloatBuffer values) {
    this.spec = spec;
    this.values = values;
    int depth = spec.depth();
    weights = new FloatBuffer[depth];
    biases = new FloatBuffer[depth];
    offsets = new int[depth];
    int o = 0;
    for (int l = 0; l < depth; l++) {
      LayerSpec ls = spec.layer(l);
      offsets[l] = o;
      weights[l] = Buffers.view(values, o, ls.out() * ls.in());
      o += ls.out() * ls.in();
      biases[l] = Buffers.view(values, o, ls.out());
      o += ls.out();
    }
  }

  /** Zeros, in a fresh buffer. */
  public static Parameters zeros(ModelSpec spec) {
    return new Parameters(spec, Buffers.allocate(spec.parameterCount()));
  }

  /** Views an existing flat buffer (position 0, at least parameterCount floats) without copying. */
  public static Parameters wrap(ModelSpec spec, FloatBuffer values) {
    if (values.capacity() < spec.parameterCount()) {
      throw new IllegalArgumentException("expected " + spec.parameterCount() + " parameters for "
          + spec.describe() + ", found " + values.capacity());
    }
    return new Parameters(spec, values);
  }

  /** A deep copy in a new buffer (weights once sent are never written again: copy, then change). */
  public Parameters copy() {
    Parameters p = zeros(spec);
    Buffers.copy(values, p.values, count());
    return p;
  }

  public void copyFrom(Parameters other) {
    Buffers.copy(other.values, values, count());
  }

  public ModelSpec spec() {
    return spec;
  }

  public int count() {
    return spec.parameterCount();
  }

  /** The flat buffer: every parameter, layer by layer (W_l then b_l). */
  public FloatBuffer values() {
    return values;
  }

  public FloatBuffer weights(int layer) {
    return weights[layer];
  }

  public FloatBuffer bias(int layer) {
    return biases[layer];
  }

  /** Offset of W_layer in {@link #values()}; b_layer follows it. */
  public int offset(int layer) {
    return offsets[layer];
  }

  /** W_l[i][j]: output unit i, input j. */
  public float weight(int layer, int i, int j) {
    return weights[layer].get(i * spec.layer(layer).in() + j);
  }

  public void clear() {
    Buffers.fill(values, count(), 0f);
  }

  /** this += other, element-wise in index order. */
  public void add(Parameters other) {
    FloatBuffer o = other.values;
    float[][] s = Scratch.arrays();
    float[] v = s[0];
    float[] w = s[1];
    for (int from = 0, n = count(); from < n; from += Scratch.CHUNK) {
      int len = Math.min(Scratch.CHUNK, n - from);
      values.get(from, v, 0, len);
      o.get(from, w, 0, len);
      for (int i = 0; i < len; i++) v[i] += w[i];
      values.put(from, v, 0, len);
    }
  }

  /** this /= divisor, element-wise (the one division of a gradient sum by the sample count). */
  public void divide(float divisor) {
    float[] v = Scratch.arrays()[0];
    for (int from = 0, n = count(); from < n; from += Scratch.CHUNK) {
      int len = Math.min(Scratch.CHUNK, n - from);
      values.get(from, v, 0, len);
      for (int i = 0; i < len; i++) v[i] /= divisor; // a true division: x * (1/d) differs in bits
      values.put(from, v, 0, len);
    }
  }

  public float[] toArray() {
    float[] out = new float[count()];
    values.get(0, out);
    return out;
  }

  public boolean allFinite() {
    return Blas.get().allFinite(values, count());
  }
}
