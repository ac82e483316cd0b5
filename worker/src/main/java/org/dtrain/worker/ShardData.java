package org.dtrain.worker;

import java.util.Arrays;
import org.dtrain.data.Checksum;

/**
 * The rows of one shard, as the worker holds them.
 *
 * @param shard shard id, 0..S-1
 * @param x (rows, features) row-major
 * @param y (rows, outputs) row-major
 */
public record ShardData(int shard, int rows, int features, int outputs, float[] x, float[] y) {
  public ShardData {
    if (x.length != rows * features || y.length != rows * outputs) {
      throw new IllegalArgumentException("shard " + shard + ": expected " + rows + " rows of "
          + features + " features and " + outputs + " outputs, found " + x.length + " and "
          + y.length + " values");
    }
  }

  /** The SHA-256 of the rows (see {@link Checksum}): what the coordinator and the worker compare. */
  public String sha256() {
    return Checksum.sha256(rows, features, outputs, x, y);
  }

  /** Rows [start, start + rows) of a data set's arrays, copied. */
  public static ShardData slice(int shard, float[] x, float[] y, int features, int outputs,
      int start, int rows) {
    return new ShardData(shard, rows, features, outputs,
        Arrays.copyOfRange(x, start * features, (start + rows) * features),
        Arrays.copyOfRange(y, start * outputs, (start + rows) * outputs));
  }
}
