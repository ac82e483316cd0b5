package org.dtrain.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a table of rows: the row, feature and output counts (little-endian int32), then x and y
 * as little-endian float32. Used for a data set's provenance and to check a shard's rows on a worker.
 */
public final class Checksum {
  private Checksum() {}

  /** @param x (rows, features) row-major; y (rows, outputs) row-major */
  public static String sha256(int rows, int features, int outputs, float[] x, float[] y) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(rows).putInt(features).putInt(outputs);
    for (float[] a : new float[][] {x, y}) {
      for (float v : a) {
        if (buf.remaining() < Float.BYTES) {
          md.update(buf.array(), 0, buf.position());
          buf.clear();
        }
        buf.putFloat(v);
      }
    }
    md.update(buf.array(), 0, buf.position());
    return HexFormat.of().formatHex(md.digest());
  }
}
