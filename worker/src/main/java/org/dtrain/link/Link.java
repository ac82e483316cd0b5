package org.dtrain.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dtrain.protocol.Chunking;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.MessageCodec;

/**
 * One worker's data link to the coordinator, from either end: a TCP connection carrying
 * {@link LinkFrames}. Sending is asynchronous and keeps order; any thread may send.
 */
public final class Link {
  private final Channel channel;
  private final TensorBuffers buffers;

  /** @param buffers the ones its decoder lends from: what {@link #giveBack} returns them to */
  public Link(Channel channel, TensorBuffers buffers) {
    this.channel = channel;
    this.buffers = buffers;
  }

  /**
   * Writes the message (its tensor cut to {@link Chunking#LINK_MAX_FLOATS}) and flushes. The
   * tensor's values are copied into the frames before this returns, so it may be a
   * {@link FloatChunk#view} of a buffer the sender writes again right after; unless the buffer was
   * handed over ({@link #handOver}): then the frames carry the buffer itself, and the link lends it
   * again once they are written.
   */
  public void send(Message m) {
    send(m, true);
  }

  private void send(Message m, boolean flush) {
    FloatChunk whole = MessageCodec.tensor(m);
    ByteBuffer bytes = whole == null ? null : buffers.sendingBytes(whole.values());
    ChannelFuture last = null;
    for (Message piece : Chunking.split(m, Chunking.LINK_MAX_FLOATS)) {
      if (bytes == null) {
        channel.write(LinkFrames.encode(channel.alloc(), piece));
      } else {
        FloatChunk t = MessageCodec.tensor(piece);
        last = channel.write(LinkFrames.frame(channel.alloc(), piece, Unpooled.wrappedBuffer(
            bytes.clear().position(4 * t.from()).limit(4 * (t.from() + t.length())).slice())));
      }
    }
    if (last != null) last.addListener(f -> buffers.written(whole.values())); // writes keep order
    if (flush) channel.flush();
  }

  /** See {@link TensorBuffers#handOver}: a buffer the sender sends next, and will not write again. */
  public FloatBuffer handOver(FloatBuffer sent) {
    return buffers.handOver(sent);
  }

  /**
   * The receiver is done with a tensor that came over this link (it copied the values out): its
   * buffer is used again. Any other buffer is ignored.
   */
  public void giveBack(FloatBuffer values) {
    buffers.giveBack(values);
  }

  /** See {@link TensorBuffers#exchange}: the receiver keeps a tensor's buffer, and gives another. */
  public boolean exchange(FloatBuffer received, FloatBuffer replaced) {
    return buffers.exchange(received, replaced);
  }

  /**
   * Sends messages[i] on links[i], as {@link #send} would, but encodes a tensor that several of them
   * carry (the same window of the same buffer: a step's weights to every worker) once, and the frames
   * share it; only their heads differ. Each link gets its messages in list order.
   */
  public static void sendAll(List<Link> links, List<Message> messages) {
    sendAll(links, messages, null);
  }

  /**
   * {@link #sendAll(List, List)}, where a tensor in memory lent by {@code wire} goes out of that
   * memory as it is, with no copy: each frame holds a reference to it until written.
   *
   * @param wire null, or where the senders' tensors may have been written
   */
  public static void sendAll(List<Link> links, List<Message> messages, WireBuffers wire) {
    if (links.size() != messages.size()) {
      throw new IllegalArgumentException(links.size() + " links for " + messages.size() + " messages");
    }
    Map<FloatChunk, Integer> uses = new HashMap<>();
    for (Message m : messages) {
      FloatChunk t = MessageCodec.tensor(m);
      if (t != null && t.length() <= Chunking.LINK_MAX_FLOATS) uses.merge(window(t), 1, Integer::sum);
    }
    Map<FloatChunk, ByteBuf> encoded = new HashMap<>();
    Set<Link> written = new LinkedHashSet<>();
    try {
      for (int i = 0; i < messages.size(); i++) {
        Link link = links.get(i);
        Message m = messages.get(i);
        FloatChunk t = MessageCodec.tensor(m);
        ByteBuf own = t == null || wire == null || t.length() > Chunking.LINK_MAX_FLOATS ? null
            : wire.payload(t);
        if (own != null) {
          link.channel.write(LinkFrames.frame(link.channel.alloc(), m, own));
        } else if (t == null || uses.getOrDefault(window(t), 0) < 2) {
          link.send(m, false);
        } else {
          ByteBuf values = encoded.computeIfAbsent(window(t),
              w -> LinkFrames.payload(link.channel.alloc(), t));
          link.channel.write(LinkFrames.frame(link.channel.alloc(), m, values.retainedDuplicate()));
        }
        written.add(link);
      }
    } finally {
      encoded.values().forEach(ByteBuf::release); // each frame holds its own reference
      written.forEach(l -> l.channel.flush());
    }
  }

  /** Identifies a tensor's values: the same buffer (by identity), start and length. */
  private static FloatChunk window(FloatChunk t) {
    return new FloatChunk(t.values(), t.from(), t.length(), 0, t.length());
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /** The peer's address, for logs. */
  public String remote() {
    return String.valueOf(channel.remoteAddress());
  }

  /** Closes after what was sent so far is written. */
  public void close() {
    channel.close();
  }

  @Override
  public String toString() {
    return "Link[" + remote() + "]";
  }
}
