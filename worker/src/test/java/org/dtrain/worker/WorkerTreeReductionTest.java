package org.dtrain.worker;

import static org.dtrain.worker.JobFixture.assertSamePartials;
import static org.dtrain.worker.JobFixture.chunks;
import static org.dtrain.worker.JobFixture.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.serialization.Serialization;
import akka.testkit.javadsl.TestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.ReductionTarget;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.ShardsLoaded;
import org.dtrain.protocol.StartStep;
import org.dtrain.protocol.StepFailed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker actor in tree reduction, every message through protobuf: it adds a child's partial to
 * its own shards in the shard tree, whether the child's partial comes before its step, during it or
 * after its own shards are done, and forwards exactly one combined partial to its parent (a probe),
 * nothing to the coordinator; a star StartStep for the step drops the tree state.
 */
class WorkerTreeReductionTest {
  private static final Duration QUIET = Duration.ofMillis(200);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system = TestSystems.serializing("worker-tree-test");
  }

  @AfterAll
  static void stop() {
    TestKit.shutdownActorSystem(system);
    system = null;
  }

  /** A worker with the probe as coordinator, holding {@code hosted}. */
  private static ActorRef worker(TestKit coordinator, JobFixture job, String id, int... hosted) {
    ActorRef w = TestSystems.registeredWorker(system, coordinator, id);
    for (Message m : job.load(hosted)) coordinator.send(w, m);
    assertEquals(ids(hosted), coordinator.expectMsgClass(WAIT, ShardsLoaded.class).shards());
    return w;
  }

  private static String address(TestKit probe) {
    return Serialization.serializedActorPath(probe.getRef());
  }

  /** A partial as a worker sends it, cut into chunks of at most {@code max} floats. */
  private static List<ShardGradients> asSent(JobFixture job, long step, String from,
      JobFixture.Partial p, int max) {
    List<ShardGradients> out = new ArrayList<>();
    for (FloatChunk c : FloatChunk.whole(p.sum()).pieces(max)) {
      out.add(new ShardGradients(job.header(step), from, p.first(), p.level(),
          p.stats().samples(), p.stats().lossSum(), p.stats().correct(), 3, 1, c));
    }
    return out;
  }

  private static List<Message> receive(TestKit probe, int n) {
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(probe.expectMsgClass(WAIT, Message.class));
    return out;
  }

  private enum When { BEFORE_THE_STEP, AMID_THE_WEIGHTS, AFTER_ITS_OWN_SHARDS }

  /**
   * Worker "w" hosts shards 0 and 1, child "c" delivers [2, 4); the parent gets node (0, 2), the
   * same bits as the four shards added in the fixed tree in one place.
   */
  private void combinesAndForwardsOnce(When when) {
    TestKit coordinator = new TestKit(system);
    TestKit parent = new TestKit(system);
    TestKit child = new TestKit(system);
    JobFixture job = new JobFixture("job-tree-" + when, JobFixture.SMALL, 8, 80, 31, 2);
    ActorRef w = worker(coordinator, job, "w", 0, 1);
    float[] weights = job.weights(5);
    ReductionTarget target = new ReductionTarget("p", address(parent), List.of("c"), ids(2, 3));
    List<StartStep> step = new ArrayList<>();
    for (StartStep s : job.startStep(1, 0, 1, chunks(weights, 10), ids(0, 1))) {
      step.add(s.withReduction(target));
    }
    JobFixture.Partial fromChild = job.direct(weights, 0, 1, ids(2, 3)).get(0);
    List<ShardGradients> childChunks = asSent(job, 1, "c", fromChild, 20); // 43 floats: 3 chunks

    if (when == When.BEFORE_THE_STEP) childChunks.forEach(g -> child.send(w, g));
    for (int i = 0; i < step.size(); i++) {
      if (when == When.AMID_THE_WEIGHTS && i == 2) childChunks.forEach(g -> child.send(w, g));
      coordinator.send(w, step.get(i));
    }
    if (when == When.AFTER_ITS_OWN_SHARDS) {
      parent.expectNoMessage(QUIET); // its own shards are done, the child's are missing
      childChunks.forEach(g -> child.send(w, g));
    }
    List<Message> got = receive(parent, 1);
    assertSamePartials(job.direct(weights, 0, 1, ids(0, 1, 2, 3)), job.reassemble(got, 1, "w"));
    assertEquals(w, parent.getLastSender(), "sent by the worker itself");
    parent.expectNoMessage(QUIET);
    coordinator.expectNoMessage(Duration.ZERO);
    child.expectNoMessage(Duration.ZERO);
  }

  @Test
  void aChildsPartialBeforeTheStepIsKeptAndCombined() {
    combinesAndForwardsOnce(When.BEFORE_THE_STEP);
  }

  @Test
  void aChildsPartialAmidTheWeightsIsCombined() {
    combinesAndForwardsOnce(When.AMID_THE_WEIGHTS);
  }

  @Test
  void aChildsPartialAfterTheOwnShardsIsCombined() {
    combinesAndForwardsOnce(When.AFTER_ITS_OWN_SHARDS);
  }

  @Test
  void theRootSendsTheWholeTreeToTheCoordinatorInChunksBelowTheFrame() {
    TestKit coordinator = new TestKit(system);
    TestKit child = new TestKit(system);
    JobFixture job = new JobFixture("job-tree-root", JobFixture.WIDE, 4, 40, 29, 1);
    ActorRef w = worker(coordinator, job, "r", 0, 1);
    float[] weights = job.weights(9);
    JobFixture.Partial fromChild = job.direct(weights, 0, 0, ids(2, 3)).get(0);
    asSent(job, 1, "c", fromChild, FloatChunk.MAX_FLOATS).forEach(g -> child.send(w, g));
    ReductionTarget root = new ReductionTarget("", "", List.of("c"), ids(2, 3));
    for (StartStep s : job.startStep(1, 0, 0, FloatChunk.split(weights), ids(0, 1))) {
      coordinator.send(w, s.withReduction(root));
    }
    List<Message> got = receive(coordinator, 2); // node (0, 2): 52,083 floats in two chunks
    for (Message m : got) {
      assertTrue(((ShardGradients) m).gradient().length() <= FloatChunk.MAX_FLOATS);
    }
    assertSamePartials(job.direct(weights, 0, 0, ids(0, 1, 2, 3)), job.reassemble(got, 1, "r"));
    coordinator.expectNoMessage(QUIET);
  }

  @Test
  void aStarStartStepForTheStepDropsTheTreeAndTheLateChildPartial() {
    TestKit coordinator = new TestKit(system);
    TestKit parent = new TestKit(system);
    TestKit child = new TestKit(system);
    JobFixture job = new JobFixture("job-tree-fallback", JobFixture.SMALL, 8, 80, 37, 2);
    ActorRef w = worker(coordinator, job, "w", 4, 5);
    float[] weights = job.weights(6);
    ReductionTarget target = new ReductionTarget("p", address(parent), List.of("c"), ids(6, 7));
    for (StartStep s : job.startStep(3, 1, 0, chunks(weights, 10), ids(4, 5))) {
      coordinator.send(w, s.withReduction(target));
    }
    parent.expectNoMessage(QUIET); // waits for the child
    // the coordinator falls back to star: the step's shards again, without weights
    coordinator.send(w, new StartStep(job.header(3), 1, 0, ids(4, 5),
        new FloatChunk(new float[0], 0, 0, 0, weights.length)));
    assertSamePartials(job.direct(weights, 1, 0, ids(4, 5)),
        job.reassemble(receive(coordinator, 1), 3, "w"));
    JobFixture.Partial late = job.direct(weights, 1, 0, ids(6, 7)).get(0);
    asSent(job, 3, "c", late, 50).forEach(g -> child.send(w, g));
    parent.expectNoMessage(QUIET);
    coordinator.expectNoMessage(Duration.ZERO);

    // the next step is a tree step again
    float[] next = job.weights(7);
    for (StartStep s : job.startStep(4, 1, 1, chunks(next, 10), ids(4, 5))) {
      coordinator.send(w, s.withReduction(target));
    }
    asSent(job, 4, "c", job.direct(next, 1, 1, ids(6, 7)).get(0), 50)
        .forEach(g -> child.send(w, g));
    assertSamePartials(job.direct(next, 1, 1, ids(4, 5, 6, 7)),
        job.reassemble(receive(parent, 1), 4, "w"));
    coordinator.expectNoMessage(QUIET);
  }

  @Test
  void aPartialOfShardsItDoesNotAwaitIsAStepFailed() {
    TestKit coordinator = new TestKit(system);
    TestKit parent = new TestKit(system);
    TestKit child = new TestKit(system);
    JobFixture job = new JobFixture("job-tree-bad", JobFixture.SMALL, 8, 80, 41, 2);
    ActorRef w = worker(coordinator, job, "w", 0, 1);
    float[] weights = job.weights(8);
    ReductionTarget target = new ReductionTarget("p", address(parent), List.of("c"), ids(2, 3));
    for (StartStep s : job.startStep(1, 0, 0, chunks(weights, 50), ids(0, 1))) {
      coordinator.send(w, s.withReduction(target));
    }
    asSent(job, 1, "c", job.leaf(weights, 0, 0, 5), 50).forEach(g -> child.send(w, g));
    StepFailed f = coordinator.expectMsgClass(WAIT, StepFailed.class);
    assertTrue(f.reason().contains("not awaited"), f.reason());
    parent.expectNoMessage(QUIET);
  }
}
