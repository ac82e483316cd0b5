package org.dtrain.scale.predict;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.MessageCodec;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.StartStep;

/**
 * The bytes of a step's tensor messages once a transport has cut them ({@code Chunking.split}):
 * what {@link MessageCodec#wireSize} gives for each piece, computed from the tensor's length and
 * the chunk size without building the tensor. A piece of n floats is its protobuf header (encoded
 * by {@link MessageCodec#encodeHeader}, so it follows the schema) plus 4 n bytes.
 *
 * <p>The header's fields that vary from step to step take representative values: a job id of 36
 * characters (a UUID, as the local and cluster jobs make), step {@value #STEP}, and for a gradient
 * compute and receive times of {@value #NANOS} ns. A real message differs by a few bytes at most.
 */
public final class WireSizes {
  static final String JOB_ID = "00000000-0000-0000-0000-000000000000";
  static final long STEP = 1_000;
  static final long NANOS = 10_000_000;
  private static final float[] EMPTY = new float[0];

  private WireSizes() {}

  /** How many pieces a tensor of {@code floats} values is cut into: ceil(floats / chunkFloats), at least 1. */
  public static int chunks(int floats, int chunkFloats) {
    requirePositive(chunkFloats);
    return floats <= chunkFloats ? 1 : (int) (((long) floats + chunkFloats - 1) / chunkFloats);
  }

  /**
   * The bytes of each piece of a {@code StartStep} with {@code parameters} weights that lists these
   * shards.
   */
  public static long[] startStep(int parameters, List<Integer> shards, int chunkFloats) {
    Header h = Header.of(JOB_ID, STEP);
    return pieces(parameters, chunkFloats, c -> new StartStep(h, 1, 1, shards, c));
  }

  /**
   * The bytes of each piece of a {@code ShardGradients} with a gradient of {@code parameters} floats
   * for the subtree (first, level), summed over {@code samples} rows, from {@code workerId}.
   */
  public static long[] shardGradients(int parameters, String workerId, int first, int level,
      int samples, int chunkFloats) {
    Header h = Header.of(JOB_ID, STEP);
    return pieces(parameters, chunkFloats, c -> new ShardGradients(h, workerId, first, level,
        samples, 1.0, samples, NANOS, NANOS, c));
  }

  private static long[] pieces(int total, int chunkFloats,
      java.util.function.Function<FloatChunk, Message> message) {
    int n = chunks(total, chunkFloats);
    long[] bytes = new long[n];
    // the header depends on the piece only through the varint size of its offset (0: omitted)
    Map<Integer, Integer> headerBySize = new HashMap<>();
    for (int j = 0; j < n; j++) {
      int offset = j * chunkFloats;
      int length = Math.min(chunkFloats, total - offset);
      int header = headerBySize.computeIfAbsent(varintSize(offset), k -> MessageCodec.encodeHeader(
          message.apply(new FloatChunk(EMPTY, 0, 0, offset, total))).length);
      bytes[j] = header + 4L * length;
    }
    return bytes;
  }

  /** Bytes of a protobuf varint of a non-negative int; 0 for 0, which proto3 leaves out. */
  private static int varintSize(int v) {
    if (v == 0) return 0;
    return (31 - Integer.numberOfLeadingZeros(v)) / 7 + 1;
  }

  private static void requirePositive(int chunkFloats) {
    if (chunkFloats < 1) {
      throw new IllegalArgumentException("expected a chunk size of at least 1 float, found "
          + chunkFloats);
    }
  }

  /** The sum of {@code bytes}. */
  public static long total(long[] bytes) {
    long s = 0;
    for (long b : bytes) s += b;
    return s;
  }

  /** A worker's id as the local cluster names it: "w" + index. */
  static String workerId(int index) {
    return "w" + index;
  }
}
