package org.dtrain.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.dtrain.protocol.MessageCodecTest.assertSameMessage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dtrain.protocol.Chunking;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.MessageCodec;
import org.dtrain.protocol.MessageCodecTest;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.StartStep;
import org.dtrain.protocol.StatusRequest;
import org.junit.jupiter.api.Test;

class LinkFramesTest {
  private static EmbeddedChannel sender() {
    return new EmbeddedChannel(new LinkFrames.Encoder());
  }

  private static EmbeddedChannel receiver() {
    return new EmbeddedChannel(new LinkFrames.Reader(new TensorBuffers()));
  }

  /** The frames the encoder writes for a message, as one buffer. */
  private static ByteBuf frame(Message m) {
    EmbeddedChannel out = sender();
    assertTrue(out.writeOutbound(m));
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf b; (b = out.readOutbound()) != null; b.release()) all.writeBytes(b);
    return all;
  }

  @Test
  void everyMessageRoundTripsThroughAFrameBitForBit() {
    EmbeddedChannel in = receiver();
    for (Message m : MessageCodecTest.samples()) {
      in.writeInbound(frame(m));
      Message back = in.readInbound();
      assertSameMessage(m, back);
    }
    assertNull(in.readInbound());
  }

  @Test
  void theHeadIsBigEndianAndThePayloadRawLittleEndianFloats() {
    float[] w = {1.5f, -0f, Float.NaN, Float.MIN_VALUE};
    StartStep s = new StartStep(Header.of("j", 3), 0, 1, List.of(0), FloatChunk.whole(w));
    ByteBuf f = frame(s);
    byte[] header = MessageCodec.encodeHeader(s);
    assertEquals(f.readableBytes() - 4, f.getInt(0), "length of the rest");
    assertEquals('S', f.getByte(4));
    assertEquals(header.length, f.getInt(5));
    int payload = 9 + header.length;
    assertEquals(w.length * 4, f.readableBytes() - payload);
    for (int i = 0; i < w.length; i++) {
      assertEquals(Float.floatToRawIntBits(w[i]), f.getIntLE(payload + 4 * i), "value " + i);
    }
    assertTrue(header.length < 64, "the header carries no values: " + header.length + " bytes");
  }

  @Test
  void framesSplitAcrossReadsAndSeveralInOneReadBothDecode() {
    List<Message> ms = MessageCodecTest.samples();
    ByteBuf all = Unpooled.buffer();
    for (Message m : ms) all.writeBytes(frame(m));
    EmbeddedChannel in = receiver();
    Random r = new Random(7);
    while (all.isReadable()) { // pieces of 1 to 40 bytes
      in.writeInbound(all.readRetainedSlice(Math.min(all.readableBytes(), 1 + r.nextInt(40))));
    }
    for (Message m : ms) assertSameMessage(m, in.readInbound());
  }

  @Test
  void aTenMillionParameterGradientCrossesInTwoFramesBelowTheLimit() {
    int n = 10_000_000;
    float[] g = new float[n];
    for (int i = 0; i < n; i++) g[i] = i * 0.5f - 7f;
    ShardGradients whole = new ShardGradients(Header.of("j", 9), "w", 0, 3, 100, 1.5, 7, 1, 2,
        FloatChunk.whole(g));
    List<Message> pieces = Chunking.split(whole, Chunking.LINK_MAX_FLOATS);
    assertEquals(2, pieces.size());
    float[] back = new float[n];
    EmbeddedChannel in = receiver();
    for (Message p : pieces) {
      ByteBuf f = frame(p);
      assertTrue(f.readableBytes() - 4 <= LinkFrames.MAX_FRAME, f.readableBytes() + " bytes");
      in.writeInbound(f);
      ShardGradients got = in.readInbound();
      assertEquals(n, got.gradient().total());
      got.gradient().copyTo(back);
    }
    for (int i = 0; i < n; i++) {
      if (Float.floatToRawIntBits(g[i]) != Float.floatToRawIntBits(back[i])) {
        throw new AssertionError("value " + i);
      }
    }
  }

  @Test
  void aLengthAboveTheLimitIsRefusedBeforeAnythingIsBuffered() {
    EmbeddedChannel in = receiver();
    ByteBuf b = Unpooled.buffer().writeInt(LinkFrames.MAX_FRAME + 1).writeByte('S');
    assertThrows(TooLongFrameException.class, () -> in.writeInbound(b));
  }

  @Test
  void aPayloadOnAMessageWithoutATensorIsRefused() {
    byte[] header = MessageCodec.encodeHeader(new StatusRequest(Header.of("j", 1)));
    ByteBuf b = Unpooled.buffer().writeInt(5 + header.length + 4).writeByte('Q')
        .writeInt(header.length).writeBytes(header).writeFloatLE(1f);
    DecoderException e = assertThrows(DecoderException.class, () -> receiver().writeInbound(b));
    assertTrue(e.getMessage().contains("a payload of 4 bytes for a message without a tensor"),
        e.getMessage());
  }

  @Test
  void aHeaderLengthThatLiesIsRefused() {
    ByteBuf b = Unpooled.buffer().writeInt(9).writeByte('S').writeInt(1000).writeInt(0);
    CorruptedFrameException e = assertThrows(CorruptedFrameException.class,
        () -> receiver().writeInbound(b));
    assertTrue(e.getMessage().contains("header length 1000 in a frame with 4 bytes left"),
        e.getMessage());
  }

  /** Mutated frames of every type: each decodes to a valid message or is refused, nothing else. */
  @Test
  void mutatedFramesDecodeOrAreRefusedNeverAnythingElse() {
    List<byte[]> frames = new ArrayList<>();
    for (Message m : MessageCodecTest.samples()) {
      if (MessageCodec.tensor(m) != null && MessageCodec.tensor(m).length() > 64) continue;
      ByteBuf f = frame(m);
      byte[] a = new byte[f.readableBytes()];
      f.readBytes(a);
      frames.add(a);
    }
    Random r = new Random(20261122);
    int decoded = 0;
    int refused = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] f = frames.get(r.nextInt(frames.size())).clone();
      switch (r.nextInt(4)) {
        case 0, 1 -> { // flip 1..3 bits anywhere, the lengths included
          for (int k = 1 + r.nextInt(3); k > 0; k--) {
            int i = r.nextInt(f.length * 8);
            f[i / 8] ^= (byte) (1 << (i % 8));
          }
        }
        case 2 -> { // a length field lies (frame or header)
          int at = r.nextBoolean() ? 0 : 5;
          ByteBuf b = Unpooled.wrappedBuffer(f);
          b.setInt(at, r.nextBoolean() ? r.nextInt() : b.getInt(at) + r.nextInt(9) - 4);
        }
        default -> f[r.nextInt(f.length)] = (byte) r.nextInt(256);
      }
      EmbeddedChannel in = receiver();
      try {
        in.writeInbound(Unpooled.wrappedBuffer(f));
        Object m = in.readInbound();
        if (m != null) {
          assertInstanceOf(Message.class, m);
          decoded++;
        }
      } catch (DecoderException e) { // CorruptedFrameException, TooLongFrameException
        refused++;
      } catch (RuntimeException e) {
        throw new AssertionError("round " + round + ": " + e, e);
      }
      in.finishAndReleaseAll();
    }
    assertTrue(decoded > 1000 && refused > 1000, decoded + " decoded, " + refused + " refused");
    assertFalse(frames.isEmpty());
  }

  private static float[] ramp(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) Math.sin(i) * (i + 1) * 1e-3f;
    v[n / 2] = -0f;
    v[n / 3] = Float.NaN;
    return v;
  }

  /** Big tensors stream into lent buffers, even when a read ends inside a float or a head. */
  @Test
  void bigTensorsStreamIntoLentBuffersWhateverTheReadsBoundaries() {
    int n = LinkFrames.Reader.STREAM_MIN; // 4 * STREAM_MIN bytes: streamed
    List<Message> ms = List.of(
        new StartStep(Header.of("j", 4), 0, 3, List.of(0, 1), FloatChunk.whole(ramp(n))),
        new StatusRequest(Header.of("j", 0)),
        new ShardGradients(Header.of("j", 4), "w", 0, 1, 64, 2.5, 60, 7, 8,
            FloatChunk.whole(ramp(n + 1))),
        new StartStep(Header.of("j", 5), 0, 4, List.of(1), FloatChunk.whole(ramp(n))));
    ByteBuf all = Unpooled.buffer();
    for (Message m : ms) all.writeBytes(frame(m));
    TensorBuffers buffers = new TensorBuffers();
    EmbeddedChannel in = new EmbeddedChannel(new LinkFrames.Reader(buffers));
    Random r = new Random(11);
    while (all.isReadable()) { // pieces of 1 to 6,000 bytes, mostly not a multiple of 4
      in.writeInbound(all.readRetainedSlice(Math.min(all.readableBytes(), 1 + r.nextInt(6000))));
    }
    for (Message m : ms) {
      Message got = in.readInbound();
      assertSameMessage(m, got);
      FloatChunk t = MessageCodec.tensor(got);
      if (t != null) {
        assertTrue(buffers.bytes(t.values()) != null, "decoded into a buffer lent by the link");
        assertTrue(t.isWhole());
        buffers.giveBack(t.values());
      }
    }
    assertNull(in.readInbound());
    assertEquals(0, buffers.lentCount());
  }

  /** A streamed frame whose head lies is refused and its lent buffer goes back. */
  @Test
  void mutatedHeadsOfStreamedFramesDecodeOrAreRefusedNeverAnythingElse() {
    List<byte[]> frames = new ArrayList<>();
    for (Message m : List.of(
        new StartStep(Header.of("j", 4), 0, 3, List.of(0, 1), FloatChunk.whole(ramp(1100))),
        new ShardGradients(Header.of("j", 4), "w", 2, 1, 64, 2.5, 60, 7, 8,
            new FloatChunk(ramp(1200), 0, 1200, 100, 5000)))) {
      ByteBuf f = frame(m);
      byte[] a = new byte[f.readableBytes()];
      f.readBytes(a);
      frames.add(a);
    }
    Random r = new Random(20261128);
    int decoded = 0;
    int refused = 0;
    for (int round = 0; round < 4000; round++) {
      byte[] f = frames.get(r.nextInt(frames.size())).clone();
      int headBytes = 9 + Unpooled.wrappedBuffer(f).getInt(5);
      for (int k = 1 + r.nextInt(3); k > 0; k--) { // flip bits in the head, the lengths included
        int i = r.nextInt(headBytes * 8);
        f[i / 8] ^= (byte) (1 << (i % 8));
      }
      TensorBuffers buffers = new TensorBuffers();
      EmbeddedChannel in = new EmbeddedChannel(new LinkFrames.Reader(buffers));
      try {
        in.writeInbound(Unpooled.wrappedBuffer(f));
        Object m = in.readInbound();
        if (m != null) {
          assertInstanceOf(Message.class, m);
          decoded++;
        }
      } catch (DecoderException e) {
        refused++;
        for (Message m; (m = in.readInbound()) != null; ) { // decoded before the refused frame
          if (MessageCodec.tensor(m) != null) buffers.giveBack(MessageCodec.tensor(m).values());
        }
        assertEquals(0, buffers.lentCount(), "round " + round + ": the refused frame's buffer");
      } catch (RuntimeException e) {
        throw new AssertionError("round " + round + ": " + e, e);
      }
      in.finishAndReleaseAll();
    }
    assertTrue(decoded > 200 && refused > 200, decoded + " decoded, " + refused + " refused");
  }

  @Test
  void theEncoderWritesLittleEndianWhateverTheBufferOrder() {
    ByteBuf f = frame(new StartStep(Header.of("j", 1), 0, 0, List.of(), FloatChunk.whole(
        new float[] {1f})));
    assertEquals(ByteOrder.BIG_ENDIAN, f.order());
    assertEquals(Float.floatToRawIntBits(1f), f.getIntLE(f.writerIndex() - 4));
  }
}
