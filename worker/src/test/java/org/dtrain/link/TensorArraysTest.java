package org.dtrain.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.embedded.EmbeddedChannel;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.ShardGradients;
import org.junit.jupiter.api.Test;

/** A link's tensor arrays are used again only once given back, and only if lent. */
class TensorArraysTest {
  @Test
  void anArrayGivenBackIsLentAgainAndOnlyForItsSize() {
    TensorArrays arrays = new TensorArrays();
    float[] a = arrays.lend(10);
    assertNotSame(a, arrays.lend(10)); // a is still out
    arrays.giveBack(a);
    assertSame(a, arrays.lend(10));
    arrays.giveBack(a);
    assertEquals(20, arrays.lend(20).length); // a is of another size: dropped, not lent
    assertEquals(0, arrays.freeCount());
  }

  @Test
  void arraysNotLentHereAreIgnoredAndAnArrayGoesBackOnce() {
    TensorArrays arrays = new TensorArrays();
    arrays.giveBack(new float[10]); // e.g. a tensor that came over Akka
    assertEquals(0, arrays.freeCount());
    float[] a = arrays.lend(10);
    arrays.giveBack(a);
    arrays.giveBack(a); // twice: the second is ignored, so it can never be lent twice at once
    assertEquals(1, arrays.freeCount());
    assertSame(a, arrays.lend(10));
    assertNotSame(a, arrays.lend(10));
  }

  @Test
  void atMostKeepArraysAreKept() {
    TensorArrays arrays = new TensorArrays();
    float[][] out = new float[TensorArrays.KEEP + 3][];
    for (int i = 0; i < out.length; i++) out[i] = arrays.lend(4);
    for (float[] a : out) arrays.giveBack(a);
    assertEquals(TensorArrays.KEEP, arrays.freeCount());
    assertEquals(0, arrays.lentCount());
  }

  @Test
  void aSentTensorInALentArrayGoesBackOnceWrittenAndArrivesWhole() {
    EmbeddedChannel out = new EmbeddedChannel(new LinkFrames.Encoder());
    TensorArrays arrays = new TensorArrays();
    Link link = new Link(out, arrays);
    float[] g = link.lend(3);
    g[0] = 1.5f;
    g[1] = -2f;
    g[2] = 3.25f;
    link.send(new ShardGradients(Header.of("j", 1), "w", 0, 0, 4, 0.5, 2, 10, 20,
        FloatChunk.whole(g)));
    assertEquals(1, arrays.freeCount()); // written: back in the pool
    TensorArrays received = new TensorArrays();
    EmbeddedChannel in = new EmbeddedChannel(LinkFrames.framer(), new LinkFrames.Decoder(received));
    in.writeInbound((Object) out.readOutbound());
    ShardGradients back = (ShardGradients) (Message) in.readInbound();
    assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, back.gradient().array());
    assertEquals(1, received.lentCount()); // decoded into a lent array, until given back
    received.giveBack(back.gradient().array());
    assertEquals(0, received.lentCount());
  }
}
