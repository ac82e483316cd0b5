package org.dtrain.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.UncheckedBooleanSupplier;
import java.nio.ByteBuffer;
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
 * The payload is written straight from the message's tensor into the (pooled, direct) frame buffer,
 * and read into the receiver's tensor with one copy at most ({@link Reader}): no protobuf
 * {@code bytes} in between.
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
   * {@link #payload} wrote it, which may be shared between frames (the receivers of a step's weights
   * get the same values, encoded once), or the tensor's own memory (little-endian float32). Takes
   * over one reference to {@code payload}.
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

  /**
   * Bytes -> messages, as the bytes arrive; a frame that does not decode closes the link (the
   * exception goes down the pipeline and the reader takes nothing more).
   *
   * <p>A frame's head (length, manifest, header) is gathered first. The payload of a step's
   * weights or of a gradient ('S', 'G', at least {@link #STREAM_MIN} bytes) then goes straight into
   * a buffer lent by the link's {@link TensorBuffers}, which becomes the message's tensor: copied
   * there out of each read's buffer, or read there by the socket itself when the channel reads
   * through {@link #reads(Reader)}. Any other frame is gathered whole, then decoded.
   */
  public static final class Reader extends ChannelInboundHandlerAdapter {
    /** The smallest payload that streams into a lent buffer, and the smallest direct read. */
    static final int STREAM_MIN = 4096;
    /** A read between frames: a step's head (under 100 bytes) and the start of its payload. */
    static final int HEAD_READ = 512;
    private static final boolean LITTLE_ENDIAN_FLOATS =
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final TensorBuffers buffers;
    private final ByteBuf head = Unpooled.buffer(16); // the 4-byte length, then manifest + u32
    private int length = -1; // the frame's length of the rest; -1 until its 4 bytes are in
    private char manifest;
    private byte[] header; // null until the manifest and the header's length are in
    private int headerFilled;
    private ByteBuf body; // a payload gathered whole
    private FloatBuffer values; // or a payload's destination
    private ByteBuffer valueBytes;
    private int filled; // bytes of values in so far
    private ByteBuf inPlace; // the buffer of the socket read that goes straight into values
    private long bytesInPlace;
    private boolean broken;

    /** Lends the buffers of a step's weights ('S') and of gradients ('G') from {@code buffers}. */
    public Reader(TensorBuffers buffers) {
      this.buffers = buffers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf in)) {
        ctx.fireChannelRead(msg);
        return;
      }
      try {
        if (!broken) read(ctx, in);
      } catch (RuntimeException e) {
        broken = true;
        drop();
        throw e;
      } finally {
        in.release();
      }
    }

    private void read(ChannelHandlerContext ctx, ByteBuf in) {
      while (in.isReadable()) {
        if (values != null) {
          int n = Math.min(in.readableBytes(), values.capacity() * 4 - filled);
          if (in == inPlace) {
            bytesInPlace += n; // the socket wrote them there
          } else {
            in.getBytes(in.readerIndex(), valueBytes.clear().position(filled).limit(filled + n));
          }
          in.skipBytes(n);
          filled += n;
          if (filled == values.capacity() * 4) emit(ctx, decodeInPlace());
        } else if (body != null) {
          body.writeBytes(in, Math.min(in.readableBytes(), body.writableBytes()));
          if (!body.isWritable()) emit(ctx, decodeBody());
        } else if (readHead(in)) {
          int payload = length - 5 - header.length;
          if ((manifest == 'S' || manifest == 'G') && payload >= STREAM_MIN && payload % 4 == 0
              && LITTLE_ENDIAN_FLOATS) {
            values = buffers.lend(payload / 4);
            valueBytes = buffers.bytes(values);
            filled = 0;
          } else {
            body = ctx.alloc().buffer(payload, payload);
            if (payload == 0) emit(ctx, decodeBody());
          }
        }
      }
    }

    /** Gathers the head from {@code in}; true once the header is complete. */
    private boolean readHead(ByteBuf in) {
      if (length < 0) {
        head.writeBytes(in, Math.min(in.readableBytes(), 4 - head.readableBytes()));
        if (head.readableBytes() < 4) return false;
        length = head.readInt();
        head.clear();
        if (length < 0 || length > MAX_FRAME) {
          throw new TooLongFrameException("a frame of " + Integer.toUnsignedString(length)
              + " bytes: longer than the " + MAX_FRAME + " a data link takes");
        }
        if (length < 5) {
          throw new CorruptedFrameException("a frame of " + length
              + " bytes: shorter than its 5-byte head");
        }
      }
      if (header == null) {
        head.writeBytes(in, Math.min(in.readableBytes(), 5 - head.readableBytes()));
        if (head.readableBytes() < 5) return false;
        manifest = (char) head.readUnsignedByte();
        int h = head.readInt();
        head.clear();
        if (h < 0 || h > length - 5) {
          throw new CorruptedFrameException("header length " + Integer.toUnsignedString(h)
              + " in a frame with " + (length - 5) + " bytes left");
        }
        header = new byte[h];
        headerFilled = 0;
      }
      int n = Math.min(in.readableBytes(), header.length - headerFilled);
      in.readBytes(header, headerFilled, n);
      headerFilled += n;
      return headerFilled == header.length;
    }

    private Message decodeInPlace() {
      FloatBuffer v = values;
      values = null;
      valueBytes = null;
      try {
        return MessageCodec.decodeFrameInPlace(header, String.valueOf(manifest), v);
      } catch (IllegalArgumentException | IllegalStateException e) {
        buffers.giveBack(v);
        throw new CorruptedFrameException(e.getMessage());
      }
    }

    private Message decodeBody() {
      ByteBuf b = body;
      body = null;
      FloatBuffer[] lent = new FloatBuffer[1];
      try {
        return MessageCodec.decodeFrame(header, String.valueOf(manifest), b.nioBuffer(),
            manifest == 'S' || manifest == 'G' ? n -> lent[0] = buffers.lend(n)
                : FloatBuffer::allocate);
      } catch (IllegalArgumentException | IllegalStateException e) {
        if (lent[0] != null) buffers.giveBack(lent[0]);
        throw new CorruptedFrameException(e.getMessage());
      } finally {
        b.release();
      }
    }

    private void emit(ChannelHandlerContext ctx, Message m) {
      length = -1;
      header = null;
      ctx.fireChannelRead(m);
    }

    /**
     * Where the channel's next socket read goes: the rest of the payload being read, when it is at
     * least {@link #STREAM_MIN} bytes; a buffer of {@link #HEAD_READ} bytes between frames, so that a
     * frame's head is known before its payload comes, and the payload can go in place; null
     * otherwise (a buffer of the usual size).
     */
    ByteBuf readTarget(ByteBufAllocator alloc) {
      inPlace = null;
      if (broken) return null;
      if (values == null) return body == null ? alloc.directBuffer(HEAD_READ) : null;
      int end = values.capacity() * 4;
      if (end - filled < STREAM_MIN) return null;
      // slice(): big-endian, so Netty wraps it as it is; the socket writes raw bytes anyway
      inPlace = Unpooled.wrappedBuffer(valueBytes.clear().position(filled).limit(end).slice())
          .clear();
      return inPlace;
    }

    /** Payload bytes the socket read straight into their tensor (for tests). */
    long bytesInPlace() {
      return bytesInPlace;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      drop();
      head.release();
    }

    private void drop() {
      if (body != null) body.release();
      body = null;
      if (values != null) buffers.giveBack(values);
      values = null;
      valueBytes = null;
      inPlace = null;
    }
  }

  /**
   * As {@link #reads()}, for a link without TLS: while {@code reader} streams a payload into its
   * tensor's buffer, the socket reads into that buffer itself, with no copy on the way.
   */
  public static RecvByteBufAllocator reads(Reader reader) {
    AdaptiveRecvByteBufAllocator sizes = reads();
    return () -> new InPlaceHandle((RecvByteBufAllocator.ExtendedHandle) sizes.newHandle(), reader);
  }

  /** The sizes' handle, but a read goes where {@link Reader#readTarget} says when it says so. */
  private static final class InPlaceHandle extends RecvByteBufAllocator.DelegatingHandle
      implements RecvByteBufAllocator.ExtendedHandle { // epoll's channels take only these
    private final RecvByteBufAllocator.ExtendedHandle sizes;
    private final Reader reader;

    InPlaceHandle(RecvByteBufAllocator.ExtendedHandle sizes, Reader reader) {
      super(sizes);
      this.sizes = sizes;
      this.reader = reader;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      ByteBuf target = reader.readTarget(alloc);
      return target != null ? target : super.allocate(alloc);
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return sizes.continueReading(maybeMoreDataSupplier);
    }
  }
}
