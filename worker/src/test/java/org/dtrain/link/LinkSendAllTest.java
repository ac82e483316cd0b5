package org.dtrain.link;

import static org.dtrain.protocol.MessageCodecTest.assertSameMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.StartStep;
import org.dtrain.protocol.StatusRequest;
import org.junit.jupiter.api.Test;

/** Link.sendAll: a tensor shared by several messages is encoded once; every link gets its own. */
class LinkSendAllTest {
  private static EmbeddedChannel sender() {
    return new EmbeddedChannel(new LinkFrames.Encoder());
  }

  /** Decodes whatever the sender wrote, in order; checks every buffer is released once read. */
  private static List<Message> received(EmbeddedChannel out) {
    EmbeddedChannel in = new EmbeddedChannel(new LinkFrames.Reader(new TensorBuffers()));
    for (ByteBuf b; (b = out.readOutbound()) != null; ) in.writeInbound(b); // the decoder releases it
    List<Message> ms = new ArrayList<>();
    for (Message m; (m = in.readInbound()) != null; ) ms.add(m);
    return ms;
  }

  @Test
  void eachLinkGetsItsMessagesInOrderWithTheSharedWeights() {
    float[] w = new float[1000];
    for (int i = 0; i < w.length; i++) w[i] = (float) Math.sin(i) * 1e-3f * i;
    FloatChunk weights = FloatChunk.whole(w);
    StartStep toA = new StartStep(Header.of("j", 7), 0, 6, List.of(0, 1), weights);
    StartStep toB = new StartStep(Header.of("j", 7), 0, 6, List.of(2), weights);
    StatusRequest ask = new StatusRequest(Header.of("j", 0));
    StartStep other = new StartStep(Header.of("j", 7), 0, 6, List.of(3),
        new FloatChunk(w, 10, 20, 10, w.length)); // another window: its own encoding
    EmbeddedChannel a = sender();
    EmbeddedChannel b = sender();
    Link la = new Link(a, new TensorBuffers());
    Link lb = new Link(b, new TensorBuffers());
    Link.sendAll(List.of(la, lb, la, lb), List.of(toA, toB, ask, other));

    List<Message> atA = received(a);
    List<Message> atB = received(b);
    assertEquals(2, atA.size());
    assertSameMessage(toA, atA.get(0));
    assertSameMessage(ask, atA.get(1));
    assertEquals(2, atB.size());
    assertSameMessage(toB, atB.get(0));
    assertSameMessage(other, atB.get(1));
    assertNull(a.readOutbound());
  }

  @Test
  void eachFrameHoldsOneReferenceAndIsFreedByItsRelease() {
    float[] w = {1f, 2f, 3f};
    FloatChunk weights = FloatChunk.whole(w);
    EmbeddedChannel a = sender();
    EmbeddedChannel b = sender();
    Link.sendAll(List.of(new Link(a, new TensorBuffers()), new Link(b, new TensorBuffers())),
        List.of(new StartStep(Header.of("j", 1), 0, 0, List.of(0), weights),
            new StartStep(Header.of("j", 1), 0, 0, List.of(1), weights)));
    ByteBuf fa = a.readOutbound();
    ByteBuf fb = b.readOutbound();
    assertEquals(1, fa.refCnt());
    assertEquals(1, fb.refCnt());
    fa.release();
    fb.release();
    assertEquals(0, fa.refCnt());
    assertEquals(0, fb.refCnt());
  }

  @Test
  void weightsInWireMemoryGoOutOfItWithNoCopyAndTheFramesHoldIt() {
    WireBuffers wire = new WireBuffers(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
    java.nio.FloatBuffer w = wire.lend(1000);
    for (int i = 0; i < 1000; i++) w.put(i, (float) Math.sin(i) * 1e-3f * i);
    FloatChunk weights = new FloatChunk(w, 0, 1000, 0, 1000);
    StartStep toA = new StartStep(Header.of("j", 7), 0, 6, List.of(0, 1), weights);
    StartStep toB = new StartStep(Header.of("j", 7), 0, 6, List.of(2), weights);
    EmbeddedChannel a = sender();
    EmbeddedChannel b = sender();
    Link.sendAll(List.of(new Link(a, new TensorBuffers()), new Link(b, new TensorBuffers())),
        List.of(toA, toB), wire);
    ByteBuf fa = a.readOutbound();
    ByteBuf fb = b.readOutbound();
    wire.releaseAll(); // the lender is done: the frames' holds keep the memory
    assertEquals(0, wire.lentCount());
    float[] expected = new float[1000];
    w.get(0, expected);
    EmbeddedChannel in = new EmbeddedChannel(new LinkFrames.Reader(new TensorBuffers()));
    in.writeInbound(fa);
    in.writeInbound(fb);
    FloatChunk copy = FloatChunk.whole(expected); // w's memory is freed once both frames are read
    assertSameMessage(toA.withWeights(copy), in.readInbound());
    assertSameMessage(toB.withWeights(copy), in.readInbound());
    assertEquals(0, fa.refCnt(), "each frame let go of its hold once read");
    assertEquals(0, fb.refCnt());
  }

  @Test
  void wireMemoryIsTheFramesPayloadItselfNotACopy() {
    WireBuffers wire = new WireBuffers(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
    java.nio.FloatBuffer w = wire.lend(3);
    w.put(0, 1f).put(1, 2f).put(2, 3f);
    EmbeddedChannel a = sender();
    Link.sendAll(List.of(new Link(a, new TensorBuffers())),
        List.of(new StartStep(Header.of("j", 1), 0, 0, List.of(0),
            new FloatChunk(w, 0, 3, 0, 3))), wire);
    w.put(1, 42f); // written after the send: the frame shows it, so it holds no copy
    ByteBuf frame = a.readOutbound();
    assertEquals(42f, frame.getFloatLE(frame.writerIndex() - 8));
    frame.release();
    wire.releaseAll();
  }
}
