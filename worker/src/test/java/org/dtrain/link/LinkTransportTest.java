package org.dtrain.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LinkTransportTest {
  @Test
  void autoIsEpollOnLinuxX8664WhereDtrainShipsItsLibrary() {
    assumeTrue(System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").equals("amd64"), "not Linux x86-64");
    assertEquals(LinkTransport.EPOLL, LinkTransport.of("auto"),
        () -> "epoll did not load: " + Epoll.unavailabilityCause());
    assertEquals(LinkTransport.EPOLL, LinkTransport.of("EPOLL"));
  }

  @Test
  void nioIsAlwaysThere() {
    assertEquals(LinkTransport.NIO, LinkTransport.of("nio"));
  }

  @Test
  void anotherWordIsRefusedWithTheKeyAndTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LinkTransport.of("iouring"));
    assertEquals("dtrain.link-loop.transport must be auto, epoll or nio, found 'iouring'",
        e.getMessage());
  }

  @Test
  void theTransportOfAGroupOrOfOneOfItsLoops() throws Exception {
    for (LinkTransport t : LinkTransport.values()) {
      if (t == LinkTransport.EPOLL && !Epoll.isAvailable()) continue;
      EventLoopGroup g = t.group(1, new DefaultThreadFactory("transport-test", true));
      try {
        assertEquals(t, LinkTransport.of(g));
        assertEquals(t, LinkTransport.of(g.next()));
      } finally {
        g.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
      }
    }
  }
}
