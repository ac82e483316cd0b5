package org.dtrain.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtrain.coordinator.JobStatus;

/**
 * The coordinator's HTTP endpoint: one acceptor thread and one I/O thread of its own (daemons), so a
 * slow or hostile client never takes time from the actors. Requests are bounded (line, headers,
 * body), idle connections close, and past {@link #MAX_CONNECTIONS} new ones are closed at once.
 */
public final class StatusServer implements AutoCloseable {
  /** Longest request line and header block, in bytes. */
  static final int MAX_LINE = 4096;
  static final int MAX_HEADERS = 8192;
  /** Largest request body: the API takes none, so anything big is refused (413). */
  static final int MAX_BODY = 16 * 1024;
  /** A connection that sends nothing for this long is closed. */
  static final int IDLE_SECONDS = 15;
  static final int MAX_CONNECTIONS = 256;

  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final Channel channel;

  private StatusServer(EventLoopGroup boss, EventLoopGroup io, Channel channel) {
    this.boss = boss;
    this.io = io;
    this.channel = channel;
  }

  /**
   * Listens on {@code host:port} (0: any free port).
   *
   * @throws IllegalStateException naming the address when it cannot be bound
   */
  public static StatusServer start(String host, int port, JobStatus status) {
    EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("dtrain-http-accept", true));
    EventLoopGroup io = new NioEventLoopGroup(1, new DefaultThreadFactory("dtrain-http", true));
    AtomicInteger open = new AtomicInteger();
    byte[] dashboard = Dashboard.page();
    try {
      Channel ch = new ServerBootstrap()
          .group(boss, io)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 128)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel c) {
              if (open.incrementAndGet() > MAX_CONNECTIONS) {
                open.decrementAndGet();
                c.close();
                return;
              }
              c.closeFuture().addListener(f -> open.decrementAndGet());
              c.pipeline()
                  .addLast(new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS))
                  .addLast(new HttpServerCodec(MAX_LINE, MAX_HEADERS, 8192))
                  .addLast(new HttpObjectAggregator(MAX_BODY, true))
                  .addLast(new StatusHandler(status, dashboard));
            }
          })
          .bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
      return new StatusServer(boss, io, ch);
    } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
