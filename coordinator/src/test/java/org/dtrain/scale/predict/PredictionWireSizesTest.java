package org.dtrain.scale.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.dtrain.protocol.Chunking;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.MessageCodec;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.StartStep;
import org.junit.jupiter.api.Test;

/** {@link WireSizes} against {@link MessageCodec#wireSize} of real messages, cut by {@link Chunking}. */
class PredictionWireSizesTest {
  private static final int P = 235_146; // 784-256-128-10: 5 pieces over Akka

  private static long[] real(Message m, int chunk) {
    return Chunking.split(m, chunk).stream().mapToLong(MessageCodec::wireSize).toArray();
  }

  @Test
  void chunkCountIsCeilOfFloatsOverChunk() {
    assertEquals(5, WireSizes.chunks(P, FloatChunk.MAX_FLOATS));
    assertEquals(1, WireSizes.chunks(FloatChunk.MAX_FLOATS, FloatChunk.MAX_FLOATS));
    assertEquals(2, WireSizes.chunks(FloatChunk.MAX_FLOATS + 1, FloatChunk.MAX_FLOATS));
    assertEquals(1, WireSizes.chunks(10, Chunking.LINK_MAX_FLOATS));
  }

  @Test
  void startStepPiecesMatchTheCodecExactlyWithTheSameHeader() {
    StartStep m = new StartStep(Header.of(UUID.randomUUID().toString(), WireSizes.STEP), 1, 1,
        List.of(4, 5, 6, 7), FloatChunk.whole(new float[P]));
    assertArrayEquals(real(m, FloatChunk.MAX_FLOATS),
        WireSizes.startStep(P, List.of(4, 5, 6, 7), FloatChunk.MAX_FLOATS));
  }

  @Test
  void gradientPiecesMatchTheCodecWithinAFewBytes() {
    // another step, epoch and measured times than the representative ones
    ShardGradients g = new ShardGradients(Header.of(UUID.randomUUID().toString(), 7), "w12", 8, 3,
        512, 1234.5678, 400, 3_456_789, 12_345, FloatChunk.whole(new float[P]));
    long[] real = real(g, FloatChunk.MAX_FLOATS);
    long[] model = WireSizes.shardGradients(P, "w12", 8, 3, 512, FloatChunk.MAX_FLOATS);
    assertEquals(real.length, model.length);
    for (int i = 0; i < real.length; i++) {
      assertTrue(Math.abs(real[i] - model[i]) <= 8, "piece " + i + ": " + real[i] + " vs "
          + model[i]);
    }
  }

  @Test
  void aDataLinkCarriesTheTensorInOnePiece() {
    StartStep m = new StartStep(Header.of(UUID.randomUUID().toString(), WireSizes.STEP), 1, 1,
        List.of(0), FloatChunk.whole(new float[P]));
    assertArrayEquals(real(m, Chunking.LINK_MAX_FLOATS),
        WireSizes.startStep(P, List.of(0), Chunking.LINK_MAX_FLOATS));
  }
}
