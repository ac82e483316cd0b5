package org.dtrain.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.testkit.javadsl.TestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtrain.protocol.RegisterWorker;

/**
 * What the worker's actor tests share: an ActorSystem where every message round-trips through
 * protobuf, and a worker actor registered with a probe as its coordinator.
 */
final class TestSystems {
  private static final AtomicInteger ACTORS = new AtomicInteger();

  private TestSystems() {}

  /** A worker with the probe as its coordinator; its registration already taken. */
  static ActorRef registeredWorker(ActorSystem system, TestKit coordinator, String id) {
    ActorRef w = system.actorOf(WorkerActor.props(coordinator.getRef(), id),
        id + "-" + ACTORS.incrementAndGet());
    assertEquals(id, coordinator.expectMsgClass(Duration.ofSeconds(5), RegisterWorker.class)
        .workerId());
    return w;
  }

  static ActorSystem serializing(String name) {
    return ActorSystem.create(name, ConfigFactory.parseString("""
        akka.actor.serialize-messages = on
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        """).withFallback(ConfigFactory.load()));
  }
}
