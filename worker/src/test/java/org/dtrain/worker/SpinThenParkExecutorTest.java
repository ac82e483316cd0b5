package org.dtrain.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.Props;
import akka.testkit.javadsl.TestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpinThenParkExecutorTest {

  @Test
  void takeReturnsWorkOfferedWhileItSpins() throws Exception {
    SpinThenParkExecutor.SpinningQueue q = new SpinThenParkExecutor.SpinningQueue(
        TimeUnit.SECONDS.toNanos(5));
    Runnable work = () -> {};
    CountDownLatch taking = new CountDownLatch(1);
    Thread offerer = new Thread(() -> {
      try {
        taking.await();
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
      q.offer(work);
    });
    offerer.start();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      taking.countDown();
      assertSame(work, q.take());
    });
    offerer.join(5_000);
  }

  @Test
  void afterItsSpinTakeParksAndStillGetsLaterWork() throws Exception {
    SpinThenParkExecutor.SpinningQueue q = new SpinThenParkExecutor.SpinningQueue(
        TimeUnit.MICROSECONDS.toNanos(20));
    Runnable work = () -> {};
    Thread offerer = new Thread(() -> {
      try {
        Thread.sleep(200); // long after the 20 us spin: the taker is parked by then
      } catch (InterruptedException e) {
        return;
      }
      q.offer(work);
    });
    offerer.start();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertSame(work, q.take()));
    offerer.join(5_000);
    assertNull(q.poll());
  }

  @Test
  void aZeroSpinParksAtOnce() {
    SpinThenParkExecutor.SpinningQueue q = new SpinThenParkExecutor.SpinningQueue(0);
    Runnable work = () -> {};
    q.offer(work);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertSame(work, q.take()));
  }

  /** Echoes every message, to show a dispatcher on this executor runs an actor. */
  static final class Echo extends AbstractActor {
    @Override
    public Receive createReceive() {
      return receiveBuilder().matchAny(m -> getSender().tell(m, getSelf())).build();
    }
  }

  @Test
  void aDispatcherOnItRunsActorsWithTheConfiguredPool() {
    ActorSystem system = ActorSystem.create("spin-test", ConfigFactory.parseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        spinning {
          type = Dispatcher
          executor = "org.dtrain.worker.SpinThenParkExecutor"
          spin-then-park { pool-size = 2, spin = 20us }
        }
        """).withFallback(ConfigFactory.load()));
    try {
      TestKit probe = new TestKit(system);
      ActorRef echo = system.actorOf(Props.create(Echo.class).withDispatcher("spinning"));
      for (int i = 0; i < 1_000; i++) {
        echo.tell(i, probe.getRef());
        assertEquals(i, probe.expectMsgClass(Duration.ofSeconds(5), Integer.class));
      }
    } finally {
      TestKit.shutdownActorSystem(system);
    }
  }

  @Test
  void theDefaultDispatchersUseItAndABadSettingIsRefusedWithItsName() {
    Config dtrain = ConfigFactory.load().getConfig("dtrain");
    for (String d : new String[] {"worker-dispatcher", "coordinator-dispatcher"}) {
      assertEquals(SpinThenParkExecutor.class.getName(), dtrain.getString(d + ".executor"), d);
      assertTrue(dtrain.getDuration(d + ".spin-then-park.spin").toNanos() > 0, d);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SpinThenParkExecutor(ConfigFactory.parseString(
            "spin-then-park { pool-size = 0, spin = 20us }"), null));
    assertTrue(e.getMessage().contains("spin-then-park.pool-size must be at least 1, found 0"),
        e.getMessage());
  }
}
