package org.dtrain.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.dtrain.protocol.DataLinkOffer;
import org.dtrain.protocol.LinkHello;
import org.dtrain.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's end of a data link: connects to the coordinator's offer (over TLS when the node runs
 * it), sends the hello with the offer's token, and hands every message that comes back to
 * {@code inbound} on the link's I/O thread (a {@link LinkLoop}'s, where the worker actor runs too).
 */
public final class LinkClient {
  private static final Logger log = LoggerFactory.getLogger(LinkClient.class);
  static final int CONNECT_TIMEOUT_MS = 10_000;

  private LinkClient() {}

  /**
   * @param tls null for plain TCP
   * @param loops where the connection runs ({@link LinkLoop#actorLoop()}); not stopped when the
   *     link closes
   * @param inbound gets each message from the coordinator, in order
   * @param onClosed runs once when the link closes, for whatever reason
   * @return the link once connected, (with TLS) authenticated and greeted; fails with the cause
   */
  public static CompletableFuture<Link> connect(DataLinkOffer offer, LinkHello hello, LinkTls tls,
      EventLoopGroup loops, Consumer<Message> inbound, Runnable onClosed) {
    CompletableFuture<Link> up = new CompletableFuture<>();
    TensorBuffers buffers = new TensorBuffers();
    Bootstrap b = new Bootstrap().group(loops).channel(LinkTransport.of(loops).socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.RCVBUF_ALLOCATOR, LinkFrames.reads())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            LinkFrames.Reader reader = new LinkFrames.Reader(buffers);
            if (tls != null) ch.pipeline().addLast(tls.client(offer.host(), offer.port()));
            else ch.config().setRecvByteBufAllocator(LinkFrames.reads(reader));
            ch.pipeline().addLast(reader,
                new LinkFrames.Encoder(), new SimpleChannelInboundHandler<Message>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, Message m) {
                    inbound.accept(m);
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    log.warn("data link to {}: {}; closing it", offer, cause.toString());
                    up.completeExceptionally(cause);
                    ctx.close();
                  }
                });
          }
        });
    ChannelFuture connect = b.connect(offer.host(), offer.port());
    Channel ch = connect.channel();
    ch.closeFuture().addListener(f -> {
      up.completeExceptionally(new IllegalStateException("the coordinator closed the data link"));
      onClosed.run();
    });
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        up.completeExceptionally(f.cause());
        return;
      }
      SslHandler ssl = ch.pipeline().get(SslHandler.class);
      if (ssl == null) {
        greet(ch, hello, buffers, up);
        return;
      }
      ssl.handshakeFuture().addListener(h -> {
        if (h.isSuccess()) greet(ch, hello, buffers, up);
        else up.completeExceptionally(h.cause());
      });
    });
    return up;
  }

  private static void greet(Channel ch, LinkHello hello, TensorBuffers buffers,
      CompletableFuture<Link> up) {
    ch.writeAndFlush(hello).addListener(w -> {
      if (w.isSuccess()) up.complete(new Link(ch, buffers));
      else up.completeExceptionally(w.cause());
    });
  }
}
