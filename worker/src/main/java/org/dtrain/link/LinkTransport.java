package org.dtrain.link;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiFunction;

/**
 * How the data links' sockets are driven: Netty's native epoll transport on Linux (x86-64, whose
 * native library ships with dtrain), or the JDK's NIO selector anywhere else. Both carry the same
 * frames; epoll takes fewer system calls and less Java per read and write, which a step pays a few
 * times on its critical path (docs/PERFORMANCE.md, eleventh session). Chosen by
 * {@code dtrain.link-loop.transport}: {@code auto} (epoll where it loads, else NIO), {@code epoll},
 * {@code nio}.
 */
public enum LinkTransport {
  EPOLL(EpollEventLoopGroup::new, EpollSocketChannel.class, EpollServerSocketChannel.class),
  NIO(NioEventLoopGroup::new, NioSocketChannel.class, NioServerSocketChannel.class);

  private final BiFunction<Integer, ThreadFactory, EventLoopGroup> groups;
  private final Class<? extends SocketChannel> socketChannel;
  private final Class<? extends ServerSocketChannel> serverChannel;

  LinkTransport(BiFunction<Integer, ThreadFactory, EventLoopGroup> groups,
      Class<? extends SocketChannel> socketChannel,
      Class<? extends ServerSocketChannel> serverChannel) {
    this.groups = groups;
    this.socketChannel = socketChannel;
    this.serverChannel = serverChannel;
  }

  /** New event loops of this transport. */
  public EventLoopGroup group(int threads, ThreadFactory threadFactory) {
    return groups.apply(threads, threadFactory);
  }

  /** The class of a connection's channel on this transport's loops. */
  public Class<? extends SocketChannel> socketChannel() {
    return socketChannel;
  }

  /** The class of a listening channel on this transport's loops. */
  public Class<? extends ServerSocketChannel> serverChannel() {
    return serverChannel;
  }

  /**
   * The transport a setting names.
   *
   * @param setting {@code auto}, {@code epoll} or {@code nio} (any case)
   * @throws IllegalArgumentException for another word, or {@code epoll} where it does not load
   */
  public static LinkTransport of(String setting) {
    switch (setting.toLowerCase(Locale.ROOT)) {
      case "auto":
        return Epoll.isAvailable() ? EPOLL : NIO;
      case "nio":
        return NIO;
      case "epoll":
        if (!Epoll.isAvailable()) {
          throw new IllegalArgumentException("dtrain.link-loop.transport = epoll, but epoll is not"
              + " available here (" + Epoll.unavailabilityCause() + "); use auto or nio");
        }
        return EPOLL;
      default:
        throw new IllegalArgumentException("dtrain.link-loop.transport must be auto, epoll or nio,"
            + " found '" + setting + "'");
    }
  }

  /** The transport whose loops these are (a group, or one loop of a group). */
  public static LinkTransport of(EventLoopGroup loops) {
    EventLoopGroup g = loops instanceof EventLoop l && l.parent() != null
        ? l.parent() : loops;
    return g instanceof EpollEventLoopGroup ? EPOLL : NIO;
  }
}
