package org.dtrain.nn;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.dtrain.math.Buffers;

/**
 * Per-thread scratch memory for one network and batches of up to {@code capacity} rows. A batch is
 * named by {@link #load} or {@link #gather} and copied in as the network runs over it, one pass of at
 * most {@link #PASS_ROWS} rows at a time: per pass, its inputs and targets and, per layer, Z, A and the
 * backward delta. Allocated once. Never shared between threads.
 */
public final class Workspace {
  /**
   * Rows per pass. A pass's inputs and activations stay in the core's cache (784-256-128-10: 1.6 MB
   * of inputs, 0.5 MB per hidden layer) from its forward to its backward, where a whole batch of
   * 4,096 rows streams 25 MB through memory several times. One training step at batch 4,096, one
   * thread: 33 ms in passes of 512 rows against 40.5 ms in one pass (passes of 256 and 1,024: 33-35
   * ms; docs/PERFORMANCE.md). The pass size decides how dW's sum over the rows is grouped, so it is a
   * constant: the trained bits depend on it.
   */
  public static final int PASS_ROWS = 512;
  private final ModelSpec spec;
  private final int capacity;
  final FloatBuffer x;      // (pass rows, n_0)
  final FloatBuffer y;      // (pass rows, n_L)
  final FloatBuffer[] z;     // z[l]: (pass rows, out_l) pre-activations
  final FloatBuffer[] a;     // a[l]: (pass rows, out_l) activations
  final FloatBuffer[] delta; // delta[l]: (pass rows, out_l): dA_l, turned into dZ_l in place
  final IntBuffer[] zBits;     // z[l]'s values as their bits (the same memory)
  final IntBuffer[] deltaBits; // delta[l]'s values as their bits (the same memory)
  // The batch, copied pass by pass into x and y by fill(): batch row i is data row rows[from + i],
  // or from + i when rows is null; features rows are inWidth wide. Held, not copied: the caller keeps
  // the arrays unchanged until the network is done with the batch.
  private float[] features;
  private float[] targets;
  private int[] rows;
  private int from;
  private int count;
  private int inWidth;
  InputColumns columns;          // the batch's columns when x holds narrowed rows, else null
  private FloatBuffer narrowW;   // (out_0, used): W_0's used columns; made when first needed
  private FloatBuffer narrowDw;  // (out_0, used): dW_0's used columns

  public Workspace(ModelSpec spec, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("workspace capacity must be positive, found " + capacity);
    }
    this.spec = spec;
    this.capacity = capacity;
    int passRows = Math.min(capacity, PASS_ROWS);
    x = Buffers.allocate(passRows * spec.inputs());
    y = Buffers.allocate(passRows * spec.outputs());
    int depth = spec.depth();
    z = new FloatBuffer[depth];
    a = new FloatBuffer[depth];
    delta = new FloatBuffer[depth];
    zBits = new IntBuffer[depth];
    deltaBits = new IntBuffer[depth];
    for (int l = 0; l < depth; l++) {
      int n = passRows * spec.layer(l).out();
      ByteBuffer zBytes = Buffers.allocateBytes(n);
      ByteBuffer deltaBytes = Buffers.allocateBytes(n);
      z[l] = zBytes.asFloatBuffer();
      zBits[l] = zBytes.asIntBuffer();
      a[l] = Buffers.allocate(n);
      delta[l] = deltaBytes.asFloatBuffer();
      deltaBits[l] = deltaBytes.asIntBuffer();
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  public int capacity() {
    return capacity;
  }

  /**
   * Makes the given rows of a data set the batch: batch row i = data row rows[from + i]. The arrays
   * are held, not copied: the network copies each pass's rows when it runs, so they must not change
   * until it is done with this batch.
   *
   * @param features (dataRows, n_0) row-major
   * @param targets (dataRows, n_L) row-major, or null when only predicting
   * @return the number of rows loaded
   */
  public int gather(float[] features, float[] targets, int[] rows, int from, int count) {
    checkCount(count);
    columns = null;
    return hold(features, spec.inputs(), targets, rows, from, count);
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
    return hold(narrowFeatures, columns.used(), targets, rows, from, count);
  }

  /** Makes data rows [start, start + count) the batch (held, not copied, as for gather). */
  public int load(float[] features, float[] targets, int start, int count) {
    checkCount(count);
    columns = null;
    return hold(features, spec.inputs(), targets, null, start, count);
  }

  private int hold(float[] features, int in, float[] targets, int[] rows, int from, int count) {
    this.features = features;
    this.inWidth = in;
    this.targets = targets;
    this.rows = rows;
    this.from = from;
    this.count = count;
    return count;
  }

  /** Fails unless the batch holds at least {@code rows} rows. */
  void checkBatch(int rows) {
    if (rows < 0 || rows > count) {
      throw new IllegalArgumentException(
          "a pass over " + rows + " rows of a batch of " + count + " rows");
    }
  }

  /** Copies the batch's rows [first, first + n), n <= PASS_ROWS, into x and y, rows [0, n). */
  void fill(int first, int n) {
    int in = inWidth;
    int out = spec.outputs();
    if (rows == null) {
      x.put(0, features, (from + first) * in, n * in);
      if (targets != null) y.put(0, targets, (from + first) * out, n * out);
      return;
    }
    for (int i = 0; i < n; i++) {
      int r = rows[from + first + i];
      x.put(i * in, features, r * in, in);
      if (targets != null) y.put(i * out, targets, r * out, out);
    }
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

  /** The network's outputs ŷ of the last pass, (rows of the pass, n_L). */
  public FloatBuffer output() {
    return a[a.length - 1];
  }

  /** The output layer's logits Z_L of the last pass, (rows of the pass, n_L). */
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
