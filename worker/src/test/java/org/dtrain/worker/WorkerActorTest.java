package org.dtrain.worker;

import static org.dtrain.worker.JobFixture.assertSamePartials;
import static org.dtrain.worker.JobFixture.chunks;
import static org.dtrain.worker.JobFixture.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.testkit.javadsl.TestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.Protocol;
import org.dtrain.protocol.RegisterWorker;
import org.dtrain.protocol.ShardChunk;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.ShardsLoaded;
import org.dtrain.protocol.StartStep;
import org.dtrain.protocol.StatusRequest;
import org.dtrain.protocol.StepFailed;
import org.dtrain.protocol.WorkerStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worker actor in an ActorSystem where every message round-trips through protobuf. */
class WorkerActorTest {
  private static final Duration QUIET = Duration.ofMillis(200);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system = TestSystems.serializing("worker-test");
  }

  @AfterAll
  static void stop() {
    TestKit.shutdownActorSystem(system);
    system = null;
  }

  private static ActorRef worker(TestKit coordinator, String id) {
    return TestSystems.registeredWorker(system, coordinator, id);
  }

  private static void load(TestKit coordinator, ActorRef w, JobFixture job, String id,
      int... hosted) {
    for (Message m : job.load(hosted)) coordinator.send(w, m);
    assertEquals(new ShardsLoaded(job.header(0), id, ids(hosted)),
        coordinator.expectMsgClass(WAIT, ShardsLoaded.class));
  }

  private static List<Message> receive(TestKit coordinator, int n) {
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(coordinator.expectMsgClass(WAIT, Message.class));
    return out;
  }

  private static void sendAll(TestKit coordinator, ActorRef w, List<? extends Message> ms) {
    for (Message m : ms) coordinator.send(w, m);
  }

  @Test
  void theSystemSendsEveryMessageThroughProtobuf() {
    assertTrue(system.settings().config().getBoolean("akka.actor.serialize-messages"));
    TestKit probe = new TestKit(system);
    float[] a = {9f, 1f, 2f, 9f};
    ShardChunk sent = new ShardChunk(Header.of("j", 0), 1, ShardChunk.X,
        new FloatChunk(a, 1, 2, 4, 6));
    probe.getRef().tell(sent, ActorRef.noSender());
    ShardChunk got = probe.expectMsgClass(WAIT, ShardChunk.class);
    assertNotSame(sent, got);
    // a decoded chunk owns a buffer of exactly its values
    assertNotSame(a, got.values().values().array());
    assertEquals(0, got.values().from());
    assertEquals(2, got.values().values().capacity());
    assertEquals(1f, got.values().get(0));
    assertEquals(2f, got.values().get(1));
    assertEquals(4, got.values().offset());
  }

  @Test
  void registersWithItsCoordinatorOnStart() {
    TestKit coordinator = new TestKit(system);
    system.actorOf(WorkerActor.props(coordinator.getRef(), "w-reg"));
    RegisterWorker r = coordinator.expectMsgClass(WAIT, RegisterWorker.class);
    assertEquals("w-reg", r.workerId());
    assertEquals(Protocol.VERSION, r.header().protocol());
    assertEquals("", r.header().jobId());
    assertTrue(r.cores() > 0);
    coordinator.expectNoMessage(QUIET);
  }

  @Test
  void answersAStepWithThePartialsOfItsShards() {
    TestKit coordinator = new TestKit(system);
    JobFixture job = new JobFixture("job-a", JobFixture.SMALL, 8, 83, 23, 2);
    ActorRef w = worker(coordinator, "w-a");
    load(coordinator, w, job, "w-a", 1, 2, 3);
    for (long step = 1; step <= 3; step++) {
      float[] weights = job.weights(step);
      long epoch = (step - 1) / 2;
      int j = (int) ((step - 1) % 2);
      sendAll(coordinator, w, job.startStep(step, epoch, j, chunks(weights, 10), ids(1, 2, 3)));
      List<Message> replies = receive(coordinator, 2); // (1, 0) and (2, 1), one chunk each
      assertSamePartials(job.direct(weights, epoch, j, ids(1, 2, 3)),
          job.reassemble(replies, step, "w-a"));
    }
    coordinator.send(w, new StatusRequest(job.header(3)));
    WorkerStatus st = coordinator.expectMsgClass(WAIT, WorkerStatus.class);
    assertEquals(ids(1, 2, 3), st.shards());
    coordinator.expectNoMessage(QUIET);
  }

  @Test
  void sendsTheGradientOfAWideModelInChunksBelowTheFrame() {
    TestKit coordinator = new TestKit(system);
    JobFixture job = new JobFixture("job-wide", JobFixture.WIDE, 4, 30, 29, 1);
    ActorRef w = worker(coordinator, "w-wide");
    load(coordinator, w, job, "w-wide", 2, 3);
    float[] weights = job.weights(77);
    sendAll(coordinator, w, job.startStep(1, 0, 0, FloatChunk.split(weights), ids(2, 3)));
    List<Message> replies = receive(coordinator, 2); // one partial (2, 1) in two chunks
    for (Message m : replies) {
      assertTrue(((ShardGradients) m).gradient().length() <= FloatChunk.MAX_FLOATS);
    }
    assertSamePartials(job.direct(weights, 0, 0, ids(2, 3)), job.reassemble(replies, 1, "w-wide"));
    coordinator.expectNoMessage(QUIET);
  }

  @Test
  void aStartStepForAShardItDoesNotHostIsAStepFailed() {
    TestKit coordinator = new TestKit(system);
    JobFixture job = new JobFixture("job-b", JobFixture.SMALL, 4, 40, 3, 1);
    ActorRef w = worker(coordinator, "w-b");
    load(coordinator, w, job, "w-b", 0, 1);
    sendAll(coordinator, w, job.startStep(1, 0, 0, chunks(job.weights(1), 10), ids(0, 1, 3)));
    StepFailed f = coordinator.expectMsgClass(WAIT, StepFailed.class);
    assertEquals(3, f.shard());
    assertEquals("w-b", f.workerId());
    assertEquals(job.header(1), f.header());
    assertTrue(f.reason().contains("shard 3"), f.reason());
    coordinator.expectNoMessage(QUIET);
  }

  @Test
  void aShardListedTwiceIsAnExplicitFailureAndTheWorkerLivesOn() {
    TestKit coordinator = new TestKit(system);
    JobFixture job = new JobFixture("job-c", JobFixture.SMALL, 4, 40, 3, 1);
    ActorRef w = worker(coordinator, "w-c");
    load(coordinator, w, job, "w-c", 0, 1);
    // shard 0 listed twice: refused before any shard is computed
    sendAll(coordinator, w, job.startStep(1, 0, 0, chunks(job.weights(1), 50), ids(0, 0)));
    StepFailed f = coordinator.expectMsgClass(WAIT, StepFailed.class);
    assertEquals(-1, f.shard());
    assertTrue(f.reason().contains("lists a shard twice"), f.reason());
    // the actor lives on, with its shards
    float[] weights = job.weights(2);
    sendAll(coordinator, w, job.startStep(2, 0, 0, chunks(weights, 50), ids(0, 1)));
    assertSamePartials(job.direct(weights, 0, 0, ids(0, 1)),
        job.reassemble(receive(coordinator, 1), 2, "w-c"));
    coordinator.expectNoMessage(QUIET);
  }

  @Test
  void ignoresDuplicatesOldStepsOtherJobsAndOtherProtocols() {
    TestKit coordinator = new TestKit(system);
    JobFixture job = new JobFixture("job-d", JobFixture.SMALL, 4, 40, 5, 2);
    ActorRef w = worker(coordinator, "w-d");
    load(coordinator, w, job, "w-d", 2, 3);
    float[] w2 = job.weights(2);
    List<StartStep> step2 = job.startStep(2, 0, 1, chunks(w2, 10), ids(2, 3));
    sendAll(coordinator, w, step2);
    assertSamePartials(job.direct(w2, 0, 1, ids(2, 3)),
        job.reassemble(receive(coordinator, 1), 2, "w-d"));

    float[] junk = job.weights(666);
    sendAll(coordinator, w, step2);                                                // duplicates
    sendAll(coordinator, w, job.startStep(1, 0, 0, chunks(junk, 10), ids(2, 3)));  // an old step
    for (FloatChunk c : chunks(junk, 10)) {
      coordinator.send(w, new StartStep(Header.of("job-other", 3), 1, 0, ids(2, 3), c));
      coordinator.send(w, new StartStep(new Header(99, job.jobId, 3), 1, 0, ids(2, 3), c));
    }
    for (Message m : job.rows(2)) coordinator.send(w, m);              // rows nobody asked for
    coordinator.send(w, new StatusRequest(Header.of("job-other", 0)));
    coordinator.expectNoMessage(QUIET);

    // nothing of it was applied
    float[] w3 = job.weights(3);
    sendAll(coordinator, w, job.startStep(3, 1, 0, chunks(w3, 10), ids(2, 3)));
    assertSamePartials(job.direct(w3, 1, 0, ids(2, 3)),
        job.reassemble(receive(coordinator, 1), 3, "w-d"));
    coordinator.expectNoMessage(QUIET);
  }
}
