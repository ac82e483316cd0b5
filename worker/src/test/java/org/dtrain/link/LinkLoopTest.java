package org.dtrain.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.PoisonPill;
import akka.actor.Props;
import akka.testkit.javadsl.TestKit;
import com.typesafe.config.ConfigFactory;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The link loop's dispatcher runs actors on the loop's thread, and the loop outlives the dispatcher. */
class LinkLoopTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Answers every message with the name of the thread it ran on. */
  static final class WhereAmI extends AbstractActor {
    @Override
    public Receive createReceive() {
      return receiveBuilder()
          .matchAny(m -> sender().tell(Thread.currentThread().getName(), self())).build();
    }
  }

  private static ActorSystem system(int threads) {
    return system(threads, "auto");
  }

  private static ActorSystem system(int threads, String transport) {
    return ActorSystem.create("link-loop-test", ConfigFactory.parseString(
        "dtrain.link-loop.threads = " + threads + "\ndtrain.link-loop.transport = " + transport
            + "\nakka.loglevel = ERROR")
        .withFallback(ConfigFactory.load()));
  }

  private static String loopThread(EventLoopGroup group) throws Exception {
    return group.next().submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
  }

  @Test
  void anActorOnTheDispatcherRunsOnTheLoopThatCarriesTheLinks() throws Exception {
    ActorSystem system = system(1);
    try {
      LinkLoop loop = LinkLoop.get(system);
      assertSame(loop, LinkLoop.get(system));
      String thread = loopThread(loop.group());
      ActorRef a = system.actorOf(Props.create(WhereAmI.class).withDispatcher(loop.dispatcher()));
      TestKit probe = new TestKit(system);
      for (int i = 0; i < 3; i++) { // sent from the test's thread: the loop wakes up for each
        a.tell("where", probe.getRef());
        assertEquals(thread, probe.expectMsgClass(WAIT, String.class));
      }
      ActorRef b = system.actorOf(Props.create(WhereAmI.class)); // the default dispatcher
      b.tell("where", probe.getRef());
      assertNotEquals(thread, probe.expectMsgClass(WAIT, String.class));
    } finally {
      TestKit.shutdownActorSystem(system);
    }
  }

  @Test
  void theLoopOutlivesItsActorsAndStopsWithTheSystem() throws Exception {
    ActorSystem system = system(1);
    EventLoopGroup group;
    try {
      LinkLoop loop = LinkLoop.get(system);
      group = loop.group();
      TestKit probe = new TestKit(system);
      ActorRef a = system.actorOf(Props.create(WhereAmI.class).withDispatcher(loop.dispatcher()));
      probe.watch(a);
      a.tell(PoisonPill.getInstance(), ActorRef.noSender());
      probe.expectTerminated(WAIT, a);
      // Akka shuts an idle dispatcher's executor down after its shutdown-timeout (1 s)
      Thread.sleep(1_500);
      assertFalse(group.isShuttingDown());
      ActorRef b = system.actorOf(Props.create(WhereAmI.class).withDispatcher(loop.dispatcher()));
      b.tell("where", probe.getRef());
      assertEquals(loopThread(group), probe.expectMsgClass(WAIT, String.class));
    } finally {
      TestKit.shutdownActorSystem(system);
    }
    assertTrue(group.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void withTwoThreadsTheActorRunsOnTheActorLoop() throws Exception {
    ActorSystem system = system(2);
    try {
      LinkLoop loop = LinkLoop.get(system);
      TestKit probe = new TestKit(system);
      ActorRef a = system.actorOf(Props.create(WhereAmI.class).withDispatcher(loop.dispatcher()));
      a.tell("where", probe.getRef());
      String actorThread = probe.expectMsgClass(WAIT, String.class);
      assertEquals(loopThread(loop.actorLoop()), actorThread);
      String first = loopThread(loop.group());
      String second = loopThread(loop.group());
      assertNotEquals(first, second); // the group has both
    } finally {
      TestKit.shutdownActorSystem(system);
    }
  }

  @Test
  void noThreadsIsRefusedWithTheKey() {
    ActorSystem system = system(0);
    try {
      RuntimeException e = assertThrows(RuntimeException.class, () -> LinkLoop.get(system));
      Throwable root = e;
      while (root.getCause() != null) root = root.getCause();
      assertEquals("dtrain.link-loop.threads must be at least 1, found 0", root.getMessage());
    } finally {
      TestKit.shutdownActorSystem(system);
    }
  }

  @Test
  void theConfiguredTransportDrivesTheLoops() throws Exception {
    ActorSystem system = system(1, "nio");
    try {
      LinkLoop loop = LinkLoop.get(system);
      assertEquals(LinkTransport.NIO, loop.transport());
      assertEquals(LinkTransport.NIO, LinkTransport.of(loop.actorLoop()));
    } finally {
      TestKit.shutdownActorSystem(system);
    }
  }

  @Test
  void anUnknownTransportIsRefusedWithTheKey() {
    ActorSystem system = system(1, "iouring");
    try {
      RuntimeException e = assertThrows(RuntimeException.class, () -> LinkLoop.get(system));
      Throwable root = e;
      while (root.getCause() != null) root = root.getCause();
      assertEquals("dtrain.link-loop.transport must be auto, epoll or nio, found 'iouring'",
          root.getMessage());
    } finally {
      TestKit.shutdownActorSystem(system);
    }
  }
}
