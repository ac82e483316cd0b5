package org.dtrain.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.dtrain.protocol.Chunking;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.MessageCodec;

/**
 * A data-link frame and its Netty codec. One frame is one message:
 *
 * <pre>
 *   u32 length of the rest        (big-endian, at most MAX_FRAME)
 *   u8  manifest                  (MessageCodec.manifest: 'S', 'G', ...)
 *   u32 header length H           (big-endian)
 *   H bytes                       the message's protobuf, its FloatChunkProto.data left empty
 *   the rest                      the tensor's values, raw little-endian float32
 * </pre>
 *
 * The payload is written straight from the message's tensor into the (pooled, direct) frame buffer
 * and read straight out of it: one copy each way, no protobuf {@code bytes} in between.
 */
public final class LinkFrames {
  /** The longest frame either side accepts: a full {@link Chunking#LINK_MAX_FLOATS} tensor + 1 MiB. */
  public static final int MAX_FRAME = 4 * Chunking.LINK_MAX_FLOATS + (1 << 20);

  private LinkFrames() {}

  /**
   * Reads of up to 1 MiB: a 940 KB tensor in one or two reads instead of fifteen of Netty's default
   * 64 KiB (fewer system calls and wake-ups per step).
   */
  public static AdaptiveRecvByteBufAllocator reads() {
    return new AdaptiveRecvByteBufAllocator(64 << 10, 256 << 10, 1 << 20);
  }

  /** Splits the byte stream into frames; a length above {@link #MAX_FRAME} closes the link. */
  public static LengthFieldBasedFrameDecoder framer() {
    return new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4);
  }

  /** Message -> frame, for messages written to the channel as they are (see {@link #encode}). */
  public static final class Encoder extends MessageToMessageEncoder<Message> {
    @Override
    protected void encode(ChannelHandlerContext ctx, Message m, List<Object> out) {
      out.add(LinkFrames.encode(ctx.alloc(), m));
    }
  }

  /**
   * The frame of {@code m}, in a new direct buffer: its tensor's values are copied in now, on the
   * caller's thread, so the caller may change them as soon as this returns.
   */
  public static ByteBuf encode(ByteBufAllocator alloc, Message m) {
    FloatChunk t = MessageCodec.tensor(m);
    int payload = t == null ? 0 : t.length() * 4;
    byte[] header = MessageCodec.encodeHeader(m);
    ByteBuf b = alloc.directBuffer(headLength(header) + payload);
    writeHead(b, m, header, payload);
    if (t != null) writePayload(b, t);
    return b;
  }

  /**
   * The frame of {@code m} as a head of its own followed by {@code payload}, the message's tensor as
   * {@link #payload} wrote it, which may be shared between frames: the receivers of a step's weights
   * get the same values, encoded once. Takes over one reference to {@code payload}.
   */
  public static ByteBuf frame(ByteBufAllocator alloc, Message m, ByteBuf payload) {
    byte[] header = MessageCodec.encodeHeader(m);
    ByteBuf head = alloc.directBuffer(headLength(header));
    writeHead(head, m, header, payload.readableBytes());
    return Unpooled.wrappedBuffer(head, payload);
  }

  /** The tensor's values, raw little-endian float32, in a new direct buffer. */
  public static ByteBuf payload(ByteBufAllocator alloc, FloatChunk t) {
    ByteBuf b = alloc.directBuffer(t.length() * 4);
    writePayload(b, t);
    return b;
  }

  private static int headLength(byte[] header) {
    return 4 + 1 + 4 + header.length;
  }

  private static void writeHead(ByteBuf b, Message m, byte[] header, int payloadBytes) {
    b.writeInt(1 + 4 + header.length + payloadBytes).writeByte(MessageCodec.manifest(m).charAt(0))
        .writeInt(header.length).writeBytes(header);
  }

  private static void writePayload(ByteBuf b, FloatChunk t) {
    int bytes = t.length() * 4;
    t.copyValuesTo(b.nioBuffer(b.writerIndex(), bytes).order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer());
    b.writerIndex(b.writerIndex() + bytes);
  }

  /** Frame (after {@link #framer()}) -> message; a frame that does not decode closes the link. */
  public static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
    private final TensorBuffers buffers;

    /** Decodes a step's weights ('S') and gradients ('G') into buffers lent by {@code buffers}. */
    public Decoder(TensorBuffers buffers) {
      this.buffers = buffers;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf f, List<Object> out) {
      if (f.readableBytes() < 5) {
        throw new CorruptedFrameException("a frame of " + f.readableBytes()
            + " bytes: shorter than its 5-byte head");
      }
      char manifest = (char) f.readUnsignedByte();
      int h = f.readInt();
      if (h < 0 || h > f.readableBytes()) {
        throw new CorruptedFrameException("header length " + Integer.toUnsignedString(h)
            + " in a frame with " + f.readableBytes() + " bytes left");
      }
      byte[] header = new byte[h];
      f.readBytes(header);
      try {
        out.add(MessageCodec.decodeFrame(header, String.valueOf(manifest),
            f.nioBuffer(f.readerIndex(), f.readableBytes()),
            manifest == 'S' || manifest == 'G' ? buffers::lend : FloatBuffer::allocate));
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new CorruptedFrameException(e.getMessage());
      }
      f.skipBytes(f.readableBytes());
    }
  }
}
