package org.dtrain.nn;

import java.nio.FloatBuffer;
import org.dtrain.math.Buffers;

/**
 * Per-thread scratch memory for one network at up to {@code capacity} rows: the batch's inputs and
 * targets and, per layer, Z, A and the backward delta. Allocated once; a step with fewer rows uses the
 * leading rows (row-major, so a smaller batch is a prefix). Never shared between threads.
 */
public final class Workspace {
  private final ModelSpec spec;
  private final int capacity;
  final FloatBuffer x;      // (capacity, n_0)
  final FloatBuffer y;      // (capacity, n_L)
  final FloatBuffer[] z;     // z[l]: (capacity, out_l) pre-activations
  final FloatBuffer[] a;     // a[l]: (capacity, out_l) activations
  final FloatBuffer[] delta; // delta[l]: (capacity, out_l): dA_l, turned into dZ_l in place
  private FloatBuffer weightGradientT; // (in_l, out_l) of the largest layer; made when first needed
  InputColumns columns;          // the batch's columns when x holds narrowed rows, else null
  private FloatBuffer narrowW;   // (out_0, used): W_0's used columns; made when first needed
  private FloatBuffer narrowDw;  // (out_0, used): dW_0's used columns

  public Workspace(ModelSpec spec, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("workspace capacity must be positive, found " + capacity);
    }
    this.spec = spec;
    this.capacity = capacity;
    x = Buffers.allocate(capacity * spec.inputs());
    y = Buffers.allocate(capacity * spec.outputs());
    int depth = spec.depth();
    z = new FloatBuffer[depth];
    a = new FloatBuffer[depth];
    delta = new FloatBuffer[depth];
    for (int l = 0; l < depth; l++) {
      int n = capacity * spec.layer(l).out();
      z[l] = Buffers.allocate(n);
      a[l] = Buffers.allocate(n);
      delta[l] = Buffers.allocate(n);
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  public int capacity() {
    return capacity;
  }

  /**
   * Copies the given rows of a data set into the batch: batch row i = data row rows[from + i].
   *
   * @param features (dataRows, n_0) row-major
   * @param targets (dataRows, n_L) row-major, or null when only predicting
   * @return the number of rows loaded
   */
  public int gather(float[] features, float[] targets, int[] rows, int from, int count) {
    checkCount(count);
    columns = null;
    return copyRows(features, spec.inputs(), targets, rows, from, count);
  }

  /**
   * Like {@link #gather(float[], float[], int[], int, int)}, from rows narrowed to their used columns
   * ({@link InputColumns#narrow(float[], int)}): the first layer then runs over those columns only.
   *
   * @param narrowFeatures (dataRows, columns.used()) row-major
   */
  public int gather(InputColumns columns, float[] narrowFeatures, float[] targets, int[] rows,
      int from, int count) {
    checkCount(count);
    if (columns.total() != spec.inputs()) {
      throw new IllegalArgumentException("the input columns of rows of " + columns.total()
          + " features, for a network of " + spec.inputs() + " inputs");
    }
    this.columns = columns;
    return copyRows(narrowFeatures, columns.used(), targets, rows, from, count);
  }

  private int copyRows(float[] features, int in, float[] targets, int[] rows, int from, int count) {
    int out = spec.outputs();
    for (int i = 0; i < count; i++) {
      int r = rows[from + i];
      x.put(i * in, features, r * in, in);
      if (targets != null) {
        y.put(i * out, targets, r * out, out);
      }
    }
    return count;
  }

  /** Copies data rows [start, start + count) into the batch. */
  public int load(float[] features, float[] targets, int start, int count) {
    checkCount(count);
    columns = null;
    x.put(0, features, start * spec.inputs(), count * spec.inputs());
    if (targets != null) {
      y.put(0, targets, start * spec.outputs(), count * spec.outputs());
    }
    return count;
  }

  /** Room for one layer's dWᵀ, (in, out), for the largest layer. */
  FloatBuffer weightGradientT() {
    if (weightGradientT == null) {
      int most = 0;
      for (LayerSpec l : spec.layers()) most = Math.max(most, l.in() * l.out());
      weightGradientT = Buffers.allocate(most);
    }
    return weightGradientT;
  }

  /** Room for W_0's used columns, (out_0, columns.used()). */
  FloatBuffer narrowWeights() {
    if (narrowW == null) narrowW = Buffers.allocate(spec.layer(0).out() * spec.inputs());
    return narrowW;
  }

  /** Room for dW_0's used columns, (out_0, columns.used()). */
  FloatBuffer narrowWeightGradient() {
    if (narrowDw == null) narrowDw = Buffers.allocate(spec.layer(0).out() * spec.inputs());
    return narrowDw;
  }

  /** The network's outputs ŷ after a forward pass, (rows, n_L). */
  public FloatBuffer output() {
    return a[a.length - 1];
  }

  /** The output layer's logits Z_L after a forward pass, (rows, n_L). */
  public FloatBuffer logits() {
    return z[z.length - 1];
  }

  private void checkCount(int count) {
    if (count < 0 || count > capacity) {
      throw new IllegalArgumentException(
          "batch of " + count + " rows does not fit a workspace of " + capacity);
    }
  }
}
