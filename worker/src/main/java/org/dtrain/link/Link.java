package org.dtrain.link;

import io.netty.channel.Channel;
import org.dtrain.protocol.Chunking;
import org.dtrain.protocol.Message;

/**
 * One worker's data link to the coordinator, from either end: a TCP connection carrying
 * {@link LinkFrames}. Sending is asynchronous and keeps order; any thread may send.
 */
public final class Link {
  private final Channel channel;

  public Link(Channel channel) {
    this.channel = channel;
  }

  /** Writes the message (its tensor cut to {@link Chunking#LINK_MAX_FLOATS}) and flushes. */
  public void send(Message m) {
    for (Message piece : Chunking.split(m, Chunking.LINK_MAX_FLOATS)) channel.write(piece);
    channel.flush();
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
