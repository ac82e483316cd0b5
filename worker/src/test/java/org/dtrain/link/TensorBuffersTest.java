package org.dtrain.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.dtrain.math.Buffers;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.ShardGradients;
import org.junit.jupiter.api.Test;

/** A link's tensor buffers are used again only once given back or exchanged, and only if lent. */
class TensorBuffersTest {
  @Test
  void aBufferGivenBackIsLentAgainAndOnlyForItsSize() {
    TensorBuffers buffers = new TensorBuffers();
    FloatBuffer a = buffers.lend(10);
    assertTrue(a.isDirect(), "the math core's kind of buffer: it can become a network's weights");
    assertNotSame(a, buffers.lend(10)); // a is still out
    buffers.giveBack(a);
    assertSame(a, buffers.lend(10));
    buffers.giveBack(a);
    assertEquals(20, buffers.lend(20).capacity()); // a is of another size: not lent for it
    assertEquals(1, buffers.freeCount());
    assertSame(a, buffers.lend(10), "but kept for its own size");
  }

  @Test
  void buffersOfSeveralSizesTakeTurnsWithoutNewOnes() {
    // a step's weights in pieces of two sizes and a gradient, lent and given back step by step
    TensorBuffers buffers = new TensorBuffers();
    int[] sizes = {64, 64, 64, 38, 235};
    java.util.Set<FloatBuffer> seen = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    for (int step = 0; step < 5; step++) {
      for (int n : sizes) {
        FloatBuffer b = buffers.lend(n);
        seen.add(b);
        buffers.giveBack(b);
      }
    }
    assertEquals(3, seen.size(), "one buffer per size, used again every step");
  }

  @Test
  void aSizeNoLongerUsedAgesOut() {
    TensorBuffers buffers = new TensorBuffers();
    FloatBuffer old = buffers.lend(7);
    buffers.giveBack(old);
    for (int i = 0; i < TensorBuffers.KEEP; i++) {
      FloatBuffer b = buffers.lend(100 + i);
      buffers.giveBack(b);
    }
    assertEquals(TensorBuffers.KEEP, buffers.freeCount());
    assertNotSame(old, buffers.lend(7), "the one kept longest ago was dropped");
  }

  @Test
  void buffersNotLentHereAreIgnoredAndABufferGoesBackOnce() {
    TensorBuffers buffers = new TensorBuffers();
    buffers.giveBack(FloatBuffer.allocate(10)); // e.g. a tensor that came over Akka
    assertEquals(0, buffers.freeCount());
    FloatBuffer a = buffers.lend(10);
    buffers.giveBack(a);
    buffers.giveBack(a); // twice: the second is ignored, so it can never be lent twice at once
    assertEquals(1, buffers.freeCount());
    assertSame(a, buffers.lend(10));
    assertNotSame(a, buffers.lend(10));
  }

  @Test
  void atMostKeepBuffersAreKept() {
    TensorBuffers buffers = new TensorBuffers();
    FloatBuffer[] out = new FloatBuffer[TensorBuffers.KEEP + 3];
    for (int i = 0; i < out.length; i++) out[i] = buffers.lend(4);
    for (FloatBuffer b : out) buffers.giveBack(b);
    assertEquals(TensorBuffers.KEEP, buffers.freeCount());
    assertEquals(0, buffers.lentCount());
  }

  @Test
  void anExchangedBufferIsTheCallersAndTheOneItReplacesIsLentNextIfMadeHere() {
    TensorBuffers buffers = new TensorBuffers();
    FloatBuffer mine = Buffers.allocate(8); // the weights a worker starts with: not made here
    assertFalse(buffers.exchange(FloatBuffer.allocate(8), mine), "not lent here: copy it");
    FloatBuffer first = buffers.lend(8);
    assertTrue(buffers.exchange(first, mine));
    assertEquals(0, buffers.lentCount());
    assertEquals(0, buffers.freeCount(), "its memory is unknown here: dropped, not lent");
    FloatBuffer second = buffers.lend(8);
    assertNotSame(first, second);
    assertTrue(buffers.exchange(second, first)); // the next step's weights replace the first
    buffers.giveBack(second); // the caller's now: a give-back by habit changes nothing
    assertEquals(1, buffers.freeCount());
    assertSame(first, buffers.lend(8), "the replaced buffer takes the received one's place");
    assertFalse(buffers.exchange(second, first), "an exchange happens once");
  }

  @Test
  void aLentBufferShowsItsMemoryAsBytesAndNoOtherDoes() {
    TensorBuffers buffers = new TensorBuffers();
    FloatBuffer a = buffers.lend(4);
    ByteBuffer bytes = buffers.bytes(a);
    assertEquals(16, bytes.capacity());
    bytes.order(ByteOrder.LITTLE_ENDIAN).putFloat(8, -2.5f); // as a socket read writes the payload
    assertEquals(-2.5f, a.get(2));
    assertEquals(0, buffers.bytes(a).position(), "a new view each time");
    assertNull(buffers.bytes(Buffers.allocate(4)));
    buffers.giveBack(a);
    assertNull(buffers.bytes(a), "only while lent");
  }

  @Test
  void aHandedOverBufferIsSentAsItIsAndLentAgainOnceWritten() {
    TensorBuffers buffers = new TensorBuffers();
    FloatBuffer foreign = Buffers.allocate(6); // the tree's first buffer: not made here
    FloatBuffer mine = buffers.handOver(foreign);
    assertNull(buffers.sendingBytes(foreign), "not made here: copied into its frame");
    assertEquals(6, mine.capacity());
    assertEquals(0, buffers.lentCount(), "the caller's, as an exchanged one");
    FloatBuffer next = buffers.handOver(mine);
    assertNotSame(mine, next);
    mine.put(1, 3.5f);
    assertEquals(3.5f, buffers.sendingBytes(mine).getFloat(4), "the frame's payload is its memory");
    assertEquals(0, buffers.freeCount());
    buffers.written(mine);
    buffers.written(mine); // once only
    assertEquals(1, buffers.freeCount());
    assertNull(buffers.sendingBytes(mine));
    assertSame(mine, buffers.handOver(next), "lent again: the tree's next buffer");
  }

  @Test
  void aViewOfAHandedOverBufferGoesOutWithoutACopy() {
    EmbeddedChannel out = new EmbeddedChannel(new LinkFrames.Encoder());
    TensorBuffers buffers = new TensorBuffers();
    Link link = new Link(out, buffers);
    FloatBuffer tree = buffers.handOver(Buffers.allocate(3)); // made here, as from step 2 on
    tree.put(0, new float[] {1.5f, -2f, 3.25f});
    FloatBuffer instead = link.handOver(tree);
    link.send(new ShardGradients(Header.of("j", 1), "w", 0, 0, 4, 0.5, 2, 10, 20,
        FloatChunk.view(tree, 3)));
    assertEquals(1, buffers.freeCount(), "written (at once, in an embedded channel): lent again");
    tree.put(0, 100f); // only for this test: the queued frame shows the buffer itself
    EmbeddedChannel in = new EmbeddedChannel(new LinkFrames.Reader(new TensorBuffers()));
    in.writeInbound((Object) out.readOutbound());
    float[] got = new float[3];
    ((ShardGradients) (Message) in.readInbound()).gradient().copyTo(got);
    assertArrayEquals(new float[] {100f, -2f, 3.25f}, got);
    assertNotSame(tree, instead);
  }

  @Test
  void aViewIsCopiedIntoTheFrameBeforeSendReturnsAndArrivesInALentBuffer() {
    EmbeddedChannel out = new EmbeddedChannel(new LinkFrames.Encoder());
    Link link = new Link(out, new TensorBuffers());
    FloatBuffer tree = Buffers.of(1.5f, -2f, 3.25f, 9f);
    link.send(new ShardGradients(Header.of("j", 1), "w", 0, 0, 4, 0.5, 2, 10, 20,
        FloatChunk.view(tree, 3)));
    tree.put(0, 100f); // the sender goes on writing its buffer: the frame must not see it
    TensorBuffers received = new TensorBuffers();
    EmbeddedChannel in = new EmbeddedChannel(new LinkFrames.Reader(received));
    in.writeInbound((Object) out.readOutbound());
    ShardGradients back = (ShardGradients) (Message) in.readInbound();
    float[] got = new float[3];
    back.gradient().copyTo(got);
    assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, got);
    assertEquals(1, received.lentCount()); // decoded into a lent buffer, until given back
    received.giveBack(back.gradient().values());
    assertEquals(0, received.lentCount());
  }
}
