package org.dtrain.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.Props;
import akka.actor.Terminated;
import akka.testkit.javadsl.TestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.MessageCodec;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.StartStep;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interposer: a message arrives no sooner than latency plus size over bandwidth after it was
 * sent, copies from the coordinator queue on its uplink, each link keeps its order, and a worker's
 * death reaches the coordinator after the worker's last message. Lower bounds are exact; upper
 * bounds are generous (a shared machine).
 */
class SimLinkTest {
  private static final long MS = 1_000_000;
  private static final long LATENCY = 20 * MS;
  private static final double BYTES_PER_S = 1e6; // 8 Mbit/s: one byte per microsecond
  private static final long SLACK = 200 * MS;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static ActorSystem system;
  private SimNetwork net;
  private TestKit coordinator;
  private TestKit workerSide;
  private static int links;

  /** Tells the worker inside a link to send this to its coordinator (the link), then maybe stop. */
  private record Send(Message m, boolean thenStop) implements NoSerializationVerificationNeeded {}

  /** The worker inside a link is up. */
  private record Up(ActorRef worker) implements NoSerializationVerificationNeeded {}

  /** A stand-in worker: passes what the link delivers to a probe, sends what it is told to. */
  static final class Inner extends AbstractActor {
    private final ActorRef link;
    private final ActorRef probe;

    Inner(ActorRef link, ActorRef probe) {
      this.link = link;
      this.probe = probe;
    }

    @Override
    public void preStart() {
      probe.tell(new Up(self()), self());
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder()
          .match(Send.class, s -> {
            link.tell(s.m(), self());
            if (s.thenStop()) getContext().stop(self());
          })
          .match(Message.class, m -> probe.tell(m, sender()))
          .build();
    }
  }

  @BeforeAll
  static void start() {
    system = ActorSystem.create("sim-link-test", ConfigFactory.parseString("""
        akka.actor.serialize-messages = on
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        """).withFallback(SimLink.DISPATCHER_CONFIG).withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    TestKit.shutdownActorSystem(system);
  }

  @BeforeEach
  void network() {
    net = new SimNetwork(new NetworkModel(LATENCY, BYTES_PER_S));
    coordinator = new TestKit(system);
    workerSide = new TestKit(system);
  }

  @AfterEach
  void close() {
    net.close();
  }

  /** A link for worker {@code index}; returns {link, the worker inside}. */
  private ActorRef[] link(int index) {
    ActorRef probe = workerSide.getRef();
    ActorRef link = system.actorOf(SimLink.props(net, coordinator.getRef(), SimNetwork.worker(index),
        l -> Props.create(Inner.class, () -> new Inner(l, probe))), "link-" + ++links);
    return new ActorRef[] {link, workerSide.expectMsgClass(WAIT, Up.class).worker()};
  }

  /** A step's weights of {@code floats} values, numbered by {@code step}. */
  private static StartStep weights(long step, int floats) {
    return new StartStep(Header.of("job", step), 0, 0, List.of(0), FloatChunk.whole(new float[floats]));
  }

  private static long transmit(Message m) {
    return (long) Math.ceil(MessageCodec.wireSize(m) * 1e9 / BYTES_PER_S);
  }

  private static void assertBetween(long low, long high, long got, String what) {
    assertTrue(got >= low, what + ": " + got / 1e6 + " ms, sooner than the model's " + low / 1e6);
    assertTrue(got <= high, what + ": " + got / 1e6 + " ms, far later than " + low / 1e6);
  }

  @Test
  void aMessageTakesLatencyPlusSizeOverBandwidthBothWays() {
    ActorRef[] l = link(0);
    StartStep down = weights(1, 10_000); // 40 kB: 40 ms on the wire
    long x = transmit(down);
    assertTrue(x >= 40 * MS, "x " + x);
    long sent = System.nanoTime();
    coordinator.send(l[0], down);
    StartStep got = workerSide.expectMsgClass(WAIT, StartStep.class);
    long took = System.nanoTime() - sent;
    assertEquals(down.weights().total(), got.weights().total());
    assertEquals(l[0], workerSide.getLastSender(), "the worker hears the link");
    assertBetween(LATENCY + x, LATENCY + x + SLACK, took, "coordinator to worker");

    ShardGradients up = new ShardGradients(Header.of("job", 1), "w0", 0, 0, 5, 1.0, 2, 3, 4,
        FloatChunk.whole(new float[5_000]));
    sent = System.nanoTime();
    l[1].tell(new Send(up, false), ActorRef.noSender());
    ShardGradients back = coordinator.expectMsgClass(WAIT, ShardGradients.class);
    took = System.nanoTime() - sent;
    assertEquals("w0", back.workerId());
    assertEquals(l[0], coordinator.getLastSender(), "the coordinator knows the link as the worker");
    assertBetween(LATENCY + transmit(up), LATENCY + transmit(up) + SLACK, took,
        "worker to coordinator");
  }

  @Test
  void copiesToEveryWorkerLeaveTheCoordinatorOneAfterAnother() {
    int k = 3;
    List<ActorRef> ls = new ArrayList<>();
    for (int w = 0; w < k; w++) ls.add(link(w)[0]);
    StartStep m = weights(1, 10_000);
    long x = transmit(m);
    long sent = System.nanoTime();
    for (ActorRef l : ls) coordinator.send(l, m);
    for (int i = 1; i <= k; i++) {
      workerSide.expectMsgClass(WAIT, StartStep.class);
      long took = System.nanoTime() - sent;
      // the i-th copy to arrive left the uplink after i transmit times
      assertBetween(LATENCY + i * x, LATENCY + i * x + SLACK, took, "copy " + i);
    }
  }

  @Test
  void eachLinkKeepsItsOrderWhateverTheSizes() {
    ActorRef[] l = link(0);
    int[] sizes = {20_000, 10, 5_000, 1, 12_000, 3};
    for (int i = 0; i < sizes.length; i++) coordinator.send(l[0], weights(i + 1, sizes[i]));
    for (int i = 0; i < sizes.length; i++) {
      StartStep got = workerSide.expectMsgClass(WAIT, StartStep.class);
      assertEquals(i + 1, got.header().step(), "message " + i + " in order");
      assertEquals(sizes[i], got.weights().total());
    }
  }

  @Test
  void aWorkerThatStopsIsMournedAfterItsLastMessage() {
    ActorRef[] l = link(0);
    coordinator.watch(l[0]);
    ShardGradients last = new ShardGradients(Header.of("job", 7), "w0", 0, 0, 5, 1.0, 2, 3, 4,
        FloatChunk.whole(new float[20_000])); // 80 ms on the wire
    long sent = System.nanoTime();
    l[1].tell(new Send(last, true), ActorRef.noSender());
    assertEquals(7, coordinator.expectMsgClass(WAIT, ShardGradients.class).header().step());
    Terminated t = coordinator.expectMsgClass(WAIT, Terminated.class);
    assertEquals(l[0], t.actor());
    assertTrue(System.nanoTime() - sent >= LATENCY + transmit(last), "after the message's arrival");
  }
}
