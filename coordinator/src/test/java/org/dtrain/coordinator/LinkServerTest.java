package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.testkit.javadsl.TestKit;
import com.typesafe.config.ConfigFactory;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.dtrain.link.LinkFrames;
import org.dtrain.link.LinkLoop;
import org.dtrain.nn.Activation;
import org.dtrain.nn.LayerSpec;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.protocol.AssignShards;
import org.dtrain.protocol.DataLinkOffer;
import org.dtrain.protocol.EndJob;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.JobSpec;
import org.dtrain.protocol.LinkHello;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.RegisterWorker;
import org.dtrain.protocol.ShardChunk;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.ShardInfo;
import org.dtrain.protocol.ShardsLoaded;
import org.dtrain.protocol.StartStep;
import org.dtrain.protocol.StepFailed;
import org.dtrain.worker.ShardData;
import org.dtrain.worker.WorkerActor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The data links on 127.0.0.1: a real {@link WorkerActor} opening its link to a real
 * {@link LinkServer}, with a TestKit probe as the coordinator actor; and raw sockets playing
 * intruders, which are closed without the job ever hearing of them.
 */
class LinkServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(300);
  private static final String JOB = "job-link";
  /** 60,401 parameters: more than one Artery chunk (49,152 floats), so one piece proves the link. */
  private static final ModelSpec SPEC = new ModelSpec(List.of(
      new LayerSpec(300, 200, Activation.of(Activation.Kind.RELU)),
      new LayerSpec(200, 1, Activation.of(Activation.Kind.SIGMOID))), Loss.BINARY_CROSS_ENTROPY);

  private static ActorSystem system;
  private LinkServer server;
  private TestKit coordinator;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("link-test", LocalCluster.config(2,
        ConfigFactory.parseString("akka.actor.serialize-messages = on\nakka.loglevel = ERROR")));
  }

  @AfterAll
  static void stopSystem() {
    TestKit.shutdownActorSystem(system);
  }

  @BeforeEach
  void startServer() {
    server = LinkServer.start(JOB, "127.0.0.1", 0, null, LinkLoop.get(system).group(), 1_000);
    coordinator = new TestKit(system);
    server.deliverTo(coordinator.getRef());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private static Header h(long step) {
    return Header.of(JOB, step);
  }

  private static JobSpec spec(DataLinkOffer offer) {
    return new JobSpec(h(0), SPEC, 5, 1, 1, true, 300, 1, offer);
  }

  /** A worker actor whose registration the probe has taken. */
  private ActorRef worker(String id) {
    ActorRef w = system.actorOf(WorkerActor.props(coordinator.getRef(), id));
    coordinator.expectMsgClass(WAIT, RegisterWorker.class);
    return w;
  }

  @Test
  void aWorkerOpensItsLinkAndTheTensorsTravelOverItWhole() {
    ActorRef w = worker("w-a");
    coordinator.send(w, spec(server.offer("w-a")));
    LinkServer.Up up = coordinator.expectMsgClass(WAIT, LinkServer.Up.class);
    assertEquals("w-a", up.workerId());

    Random r = new Random(3);
    float[] x = new float[4 * 300];
    float[] y = {0, 1, 1, 0};
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    ShardData d = ShardData.slice(0, x, y, 300, 1, 0, 4);
    coordinator.send(w, new AssignShards(h(0), List.of(new ShardInfo(0, 4, d.sha256()))));
    coordinator.send(w, new ShardChunk(h(0), 0, ShardChunk.X, FloatChunk.whole(d.x())));
    coordinator.send(w, new ShardChunk(h(0), 0, ShardChunk.Y, FloatChunk.whole(d.y())));
    assertEquals(new ShardsLoaded(h(0), "w-a", List.of(0)),
        coordinator.expectMsgClass(WAIT, ShardsLoaded.class));

    float[] weights = new float[SPEC.parameterCount()];
    for (int i = 0; i < weights.length; i++) weights[i] = (float) (r.nextGaussian() * 0.05);
    up.link().send(new StartStep(h(1), 0, 0, List.of(0), FloatChunk.whole(weights)));
    ShardGradients g = coordinator.expectMsgClass(WAIT, ShardGradients.class);
    assertEquals(SPEC.parameterCount(), g.gradient().length(), "one piece: it came over the link");
    assertEquals(4, g.samples());
    assertEquals(1, g.header().step());

    up.link().send(new EndJob(h(0), "finished"));
    assertEquals(new LinkServer.Down("w-a"), coordinator.expectMsgClass(WAIT, LinkServer.Down.class));
  }

  @Test
  void aWorkerThatCannotReachTheDataPortFailsTheJobNamingIt() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    ActorRef w = worker("w-b");
    coordinator.send(w, spec(new DataLinkOffer("127.0.0.1", closed, "00")));
    StepFailed f = coordinator.expectMsgClass(WAIT, StepFailed.class);
    assertTrue(f.reason().startsWith("cannot open the data link to the coordinator at 127.0.0.1:"
        + closed + ": "), f.reason());
  }

  /** The bytes of frames, as a client writes them. */
  private static byte[] frames(Message... ms) {
    EmbeddedChannel ch = new EmbeddedChannel(new LinkFrames.Encoder());
    for (Message m : ms) ch.writeOutbound(m);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      out.writeBytes(a);
    }
    return out.toByteArray();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout((int) WAIT.toMillis());
    return s;
  }

  /** Whether the server closed the connection (end of stream), within the wait. */
  private static boolean closedByServer(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) { // reset
      return true;
    }
  }

  @Test
  void aHelloWithoutTheTokenIsClosedAndATokenServesOnce() throws IOException {
    DataLinkOffer offer = server.offer("w-c");
    try (Socket s = connect()) {
      s.getOutputStream().write(frames(new LinkHello(h(0), "w-c", "not-the-token")));
      assertTrue(closedByServer(s));
    }
    try (Socket s = connect()) { // another job's hello, with the right token
      s.getOutputStream().write(frames(new LinkHello(Header.of("other", 0), "w-c", offer.token())));
      assertTrue(closedByServer(s));
    }
    try (Socket s = connect()) { // the right one: accepted
      s.getOutputStream().write(frames(new LinkHello(h(0), "w-c", offer.token())));
      assertEquals("w-c", coordinator.expectMsgClass(WAIT, LinkServer.Up.class).workerId());
      try (Socket again = connect()) { // the same token again
        again.getOutputStream().write(frames(new LinkHello(h(0), "w-c", offer.token())));
        assertTrue(closedByServer(again));
      }
    }
    coordinator.expectMsgClass(WAIT, LinkServer.Down.class);
    coordinator.expectNoMessage(QUIET);
  }

  @Test
  void garbageSilenceAndAWorkerSpeakingForAnotherAreClosedAndTheServerGoesOn() throws IOException {
    try (Socket s = connect()) { // garbage: a huge length
      s.getOutputStream().write(new byte[] {(byte) 0x7f, -1, -1, -1, 1, 2, 3});
      assertTrue(closedByServer(s));
    }
    try (Socket s = connect()) { // a valid frame, but not a hello
      s.getOutputStream().write(frames(new ShardsLoaded(h(0), "w-d", List.of(0))));
      assertTrue(closedByServer(s));
    }
    try (Socket s = connect()) { // nothing at all: closed after the hello timeout (1 s here)
      assertTrue(closedByServer(s));
    }
    coordinator.expectNoMessage(QUIET);

    DataLinkOffer offer = server.offer("w-d");
    try (Socket s = connect()) {
      s.getOutputStream().write(frames(new LinkHello(h(0), "w-d", offer.token()),
          new ShardsLoaded(h(0), "w-d", List.of(0)),
          new ShardsLoaded(h(0), "w-other", List.of(1))));
      assertEquals("w-d", coordinator.expectMsgClass(WAIT, LinkServer.Up.class).workerId());
      assertEquals(new ShardsLoaded(h(0), "w-d", List.of(0)),
          coordinator.expectMsgClass(WAIT, ShardsLoaded.class));
      assertEquals(new LinkServer.Down("w-d"),
          coordinator.expectMsgClass(WAIT, LinkServer.Down.class));
      assertTrue(closedByServer(s));
    }
    coordinator.expectNoMessage(QUIET);
  }
}
