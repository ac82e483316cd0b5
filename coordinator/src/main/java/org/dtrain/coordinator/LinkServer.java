package org.dtrain.coordinator;

import akka.actor.ActorRef;
import akka.actor.NoSerializationVerificationNeeded;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.dtrain.link.Link;
import org.dtrain.link.LinkFrames;
import org.dtrain.link.LinkLoop;
import org.dtrain.link.LinkTls;
import org.dtrain.link.LinkTransport;
import org.dtrain.link.TensorBuffers;
import org.dtrain.protocol.DataLinkOffer;
import org.dtrain.protocol.LinkHello;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's end of the workers' data links: a TCP (or TLS) port where each worker, after
 * its job spec came over the cluster, connects and presents its one-time token. Accepted links are
 * handed to the coordinator actor ({@link Up}); their messages go to it as if they came over Akka.
 * A connection that does not greet with a valid hello within {@link #HELLO_TIMEOUT_MS}, sends a
 * frame that does not decode, or speaks for another worker is logged and closed; the job never sees
 * it. The links run on the loops they are given ({@link LinkLoop}: the coordinator actor's own
 * thread), which this server does not stop.
 */
public final class LinkServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LinkServer.class);
  static final int HELLO_TIMEOUT_MS = 10_000;

  /** A worker's link is up: the coordinator actor sends it the tensors from now on. */
  public record Up(String workerId, Link link) implements NoSerializationVerificationNeeded {}

  /** A worker's link closed. */
  public record Down(String workerId) implements NoSerializationVerificationNeeded {}

  private final String jobId;
  private final String host;
  private final long helloTimeoutMs;
  private final ChannelGroup channels;
  private final Channel server;
  private final Map<String, String> tokens = new ConcurrentHashMap<>(); // worker id -> token
  private final SecureRandom random = new SecureRandom();
  private volatile ActorRef coordinator = ActorRef.noSender();

  private LinkServer(String jobId, String host, int port, LinkTls tls, EventLoopGroup loops,
      long helloTimeoutMs) throws InterruptedException {
    this.jobId = jobId;
    this.host = host;
    this.helloTimeoutMs = helloTimeoutMs;
    this.channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    ServerBootstrap b = new ServerBootstrap().group(loops)
        .channel(LinkTransport.of(loops).serverChannel())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, LinkFrames.reads())
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            channels.add(ch);
            TensorBuffers buffers = new TensorBuffers();
            LinkFrames.Reader reader = new LinkFrames.Reader(buffers);
            if (tls != null) ch.pipeline().addLast(tls.server(host, port));
            else ch.config().setRecvByteBufAllocator(LinkFrames.reads(reader));
            ch.pipeline().addLast(reader,
                new LinkFrames.Encoder(), new Peer(buffers));
          }
        });
    this.server = b.bind(host, port).sync().channel();
  }

  /**
   * Listens on {@code host:port} (0: any free port).
   *
   * @param tls null for plain TCP
   * @param loops where the listening socket and the links run ({@link LinkLoop#group()})
   * @throws IllegalStateException when the port cannot be bound
   */
  public static LinkServer start(String jobId, String host, int port, LinkTls tls,
      EventLoopGroup loops) {
    return start(jobId, host, port, tls, loops, HELLO_TIMEOUT_MS);
  }

  static LinkServer start(String jobId, String host, int port, LinkTls tls, EventLoopGroup loops,
      long helloTimeoutMs) {
    try {
      return new LinkServer(jobId, host, port, tls, loops, helloTimeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding the data port");
    } catch (Exception e) { // Netty rethrows the bind's BindException without declaring it
      throw new IllegalStateException("cannot listen for data links on " + host + ":" + port
          + ": " + e.getMessage(), e);
    }
  }

  /** Where the accepted links' messages and {@link Up}/{@link Down} go. */
  public void deliverTo(ActorRef coordinator) {
    this.coordinator = coordinator;
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** A new one-time token for this worker's link (replacing any earlier one). */
  public DataLinkOffer offer(String workerId) {
    byte[] t = new byte[16];
    random.nextBytes(t);
    String token = HexFormat.of().formatHex(t);
    tokens.put(workerId, token);
    return new DataLinkOffer(host, port(), token);
  }

  /**
   * Stops listening and closes each link once what was sent on it is written (the job's EndJob);
   * waits up to 5 s for that, so it is not for a link's own thread.
   */
  @Override
  public void close() {
    server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    for (Channel c : channels) {
      c.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    channels.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** Why a hello is refused; null if it is good (and its token is used up). */
  private String refusal(LinkHello h) {
    if (h.header().protocol() != Protocol.VERSION) {
      return "protocol version " + h.header().protocol() + ", this coordinator speaks "
          + Protocol.VERSION;
    }
    if (!jobId.equals(h.header().jobId())) return "job " + h.header().jobId() + " is not this job";
    String expected = tokens.get(h.workerId());
    if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        h.token().getBytes(StandardCharsets.UTF_8))) {
      return "no valid token for worker '" + h.workerId() + "'";
    }
    return tokens.remove(h.workerId(), expected) ? null : "the token was used already";
  }

  /** One connection: a hello first, then only its worker's messages. */
  private final class Peer extends SimpleChannelInboundHandler<Message> {
    private final TensorBuffers buffers;
    private String workerId; // null until the hello
    private ScheduledFuture<?> helloTimeout;

    Peer(TensorBuffers buffers) {
      this.buffers = buffers;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      helloTimeout = ctx.executor().schedule(() -> {
        log.warn("closed a data link from {}: no hello within {} ms", ctx.channel().remoteAddress(),
            helloTimeoutMs);
        ctx.close();
      }, helloTimeoutMs, TimeUnit.MILLISECONDS);
      ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message m) {
      if (workerId == null) {
        helloTimeout.cancel(false);
        String why = m instanceof LinkHello h ? refusal(h)
            : "its first message is a " + m.getClass().getSimpleName() + ", not a hello";
        if (why != null) {
          log.warn("refused a data link from {}: {}", ctx.channel().remoteAddress(), why);
          ctx.close();
          return;
        }
        workerId = ((LinkHello) m).workerId();
        log.info("worker {}: data link up from {}", workerId, ctx.channel().remoteAddress());
        coordinator.tell(new Up(workerId, new Link(ctx.channel(), buffers)), ActorRef.noSender());
        return;
      }
      String from = Message.workerOf(m); // null: no message a worker sends

      if (!workerId.equals(from)) {
        log.warn("closed the data link of worker {}: it sent a {} for '{}'", workerId,
            m.getClass().getSimpleName(), from);
        ctx.close();
        return;
      }
      coordinator.tell(m, ActorRef.noSender());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (helloTimeout != null) helloTimeout.cancel(false);
      if (workerId != null) coordinator.tell(new Down(workerId), ActorRef.noSender());
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.warn("closed the data link {} from {}: {}", workerId == null ? "" : "of worker " + workerId,
          ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }
}
