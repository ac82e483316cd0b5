package org.dtrain.link;

import static org.dtrain.protocol.MessageCodecTest.assertSameMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.MessageCodec;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.StartStep;
import org.dtrain.protocol.StatusRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Over a real TCP connection on 127.0.0.1: with {@link LinkFrames#reads(LinkFrames.Reader)} the
 * socket reads a big tensor's values straight into the buffer it is decoded in, and every bit
 * arrives, frames of all sizes mixed; on either transport (epoll's channels take only an extended
 * read handle).
 */
class LinkReadsTest {
  private static final int PARAMETERS = 235_146; // 784-256-128-10

  private static float[] values(int n, int seed) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) Math.sin(i * 0.37 + seed) * (1 + i % 97);
    v[seed] = -0f;
    return v;
  }

  @ParameterizedTest
  @EnumSource(LinkTransport.class)
  void aSocketReadsBigTensorsStraightIntoTheirBuffers(LinkTransport transport) throws Exception {
    assumeTrue(transport != LinkTransport.EPOLL || Epoll.isAvailable(), "no epoll here");
    EventLoopGroup loops = transport.group(2, new DefaultThreadFactory("link-test", true));
    BlockingQueue<Message> got = new LinkedBlockingQueue<>();
    TensorBuffers buffers = new TensorBuffers();
    CompletableFuture<LinkFrames.Reader> readerOf = new CompletableFuture<>();
    try {
      Channel server = new ServerBootstrap().group(loops).channel(transport.serverChannel())
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              LinkFrames.Reader reader = new LinkFrames.Reader(buffers);
              ch.config().setRecvByteBufAllocator(LinkFrames.reads(reader));
              ch.pipeline().addLast(reader, new SimpleChannelInboundHandler<Message>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, Message m) {
                  got.add(m);
                }
              });
              readerOf.complete(reader);
            }
          }).bind("127.0.0.1", 0).sync().channel();
      Channel client = new Bootstrap().group(loops).channel(transport.socketChannel())
          .handler(new LinkFrames.Encoder())
          .connect("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())
          .sync().channel();
      List<Message> sent = new ArrayList<>();
      for (int step = 0; step < 6; step++) {
        sent.add(new StartStep(Header.of("j", step), 0, step, List.of(0, 1),
            FloatChunk.whole(values(PARAMETERS, step))));
        sent.add(new StatusRequest(Header.of("j", step)));
        sent.add(new ShardGradients(Header.of("j", step), "w", 0, 1, 64, 1.5, 60, 7, 8,
            FloatChunk.whole(values(5000 + step, step + 1)))); // a payload not a multiple of 4 KiB
      }
      for (Message m : sent) client.write(m);
      client.flush().closeFuture(); // everything queued; the server reads as it arrives

      long tensorBytes = 0;
      for (Message m : sent) {
        Message m2 = got.poll(30, TimeUnit.SECONDS);
        assertNotNull(m2, "timed out waiting for " + m);
        assertSameMessage(m, m2);
        FloatChunk t = MessageCodec.tensor(m2);
        if (t != null) {
          tensorBytes += 4L * t.length();
          buffers.giveBack(t.values());
        }
      }
      LinkFrames.Reader reader = readerOf.get(10, TimeUnit.SECONDS);
      // A payload's first bytes come in the read of its head, and its last ones in an ordinary read
      // when a read stops within STREAM_MIN of its end; the 5,000-float ones go by the second rule.
      assertTrue(reader.bytesInPlace() > 0.9 * tensorBytes,
          reader.bytesInPlace() + " of " + tensorBytes + " tensor bytes read in place");
      assertEquals(0, buffers.lentCount());
      client.close().sync();
      server.close().sync();
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
