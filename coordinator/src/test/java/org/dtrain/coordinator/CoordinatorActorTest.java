package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.testkit.javadsl.TestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.dtrain.data.ShardPlan;
import org.dtrain.nn.Parameters;
import org.dtrain.protocol.EndJob;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.RegisterWorker;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.ShardsLoaded;
import org.dtrain.protocol.StartStep;
import org.dtrain.protocol.StepFailed;
import org.dtrain.worker.WorkerSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator actor against TestKit probes playing the workers. Each probe's messages go through
 * a real {@link WorkerSession}, but the test decides when, in what order and how often the workers'
 * replies reach the coordinator. Every message is serialized through protobuf on its way.
 */
class CoordinatorActorTest {
  private static final Duration WAIT = Duration.ofSeconds(10); // generous for a loaded machine
  /** How long "nothing arrives" is watched: in one JVM a wrong reply would come within milliseconds. */
  private static final Duration QUIET = Duration.ofMillis(100);
  private static final String JOB_ID = "job-under-test";
  private static final int SHARDS = 8;
  private static final long STEPS = 3;

  private static ActorSystem system;
  private static Job job;
  private static ShardPlan plan;
  private static Parameters reference;

  private ActorRef coordinator;
  private CompletableFuture<TrainingLoop.Result> done;
  private List<Worker> workers;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("coordinator-test", LocalCluster.config(3,
        ConfigFactory.parseString("akka.actor.serialize-messages = on\nakka.loglevel = ERROR")));
    job = Recipes.job("data", Recipes.DATA + "iris.csv", "layers", "auto,4,auto",
        "scale", "standard", "seed", 3, "optimizer", "adam", "lr", 0.01, "batch-size", 40,
        "steps", STEPS);
    plan = new ShardPlan(job.train().rows(), SHARDS);
    reference = Recipes.singleProcess(job, plan).parameters();
  }

  @AfterAll
  static void stop() {
    TestKit.shutdownActorSystem(system);
  }

  /** A probe with a worker session behind it; replies are returned, not sent. */
  private final class Worker {
    final String id;
    final TestKit probe = new TestKit(system);
    final WorkerSession session;

    Worker(String id) {
      this.id = id;
      this.session = new WorkerSession(id);
    }

    void register() {
      RegisterWorker r = session.register();
      assertEquals(Header.of("", 0), r.header());
      coordinator.tell(r, probe.getRef());
    }

    void send(Message m) {
      coordinator.tell(m, probe.getRef());
    }

    /** Takes the job spec, assignment and rows; returns the worker's ShardsLoaded. */
    ShardsLoaded load() {
      while (true) {
        Message m = probe.expectMsgClass(WAIT, Message.class);
        List<Message> replies = session.handle(m);
        for (Message r : replies) {
          if (r instanceof ShardsLoaded l) return l;
          fail(id + ": unexpected reply while loading: " + r);
        }
      }
    }

    /** Takes the weights of step {@code step}; returns the worker's partials. */
    List<ShardGradients> compute(long step) {
      while (true) {
        StartStep s = probe.expectMsgClass(WAIT, StartStep.class);
        assertEquals(step, s.header().step(), id + ": the next StartStep");
        assertEquals(JOB_ID, s.header().jobId());
        List<Message> replies = session.handle(s);
        if (replies.isEmpty()) continue; // more weight chunks to come
        List<ShardGradients> out = new ArrayList<>();
        for (Message r : replies) out.add(assertInstanceOf(ShardGradients.class, r, id));
        return out;
      }
    }

    void expectEnd(String reasonStart) {
      EndJob e = probe.expectMsgClass(WAIT, EndJob.class);
      assertTrue(e.reason().startsWith(reasonStart), e.reason());
    }
  }

  @BeforeEach
  void coordinatorAndThreeWorkers() {
    done = new CompletableFuture<>();
    ClusterJob cj = new ClusterJob(JOB_ID, new TrainingLoop(job.plan(), null,
        new TrainingListener() {}), job.train(), plan, 3);
    coordinator = system.actorOf(CoordinatorActor.props(cj, done));
    workers = List.of(new Worker("w0"), new Worker("w1"), new Worker("w2"));
  }

  /** Registration and shard loading; afterwards every worker awaits step 1. */
  private void register() {
    for (Worker w : workers) w.register();
    List<ShardsLoaded> loaded = new ArrayList<>();
    for (Worker w : workers) loaded.add(w.load());
    // 8 shards on 3 workers: contiguous blocks
    assertEquals(List.of(0, 1), loaded.get(0).shards());
    assertEquals(List.of(2, 3, 4), loaded.get(1).shards());
    assertEquals(List.of(5, 6, 7), loaded.get(2).shards());
    for (int i = loaded.size() - 1; i >= 0; i--) workers.get(i).send(loaded.get(i));
  }

  private record Sent(Worker from, ShardGradients partial) {}

  /** Every worker's partials of {@code step}. */
  private List<Sent> computeStep(long step) {
    List<Sent> all = new ArrayList<>();
    for (Worker w : workers) for (ShardGradients g : w.compute(step)) all.add(new Sent(w, g));
    return all;
  }

  private void expectNothing() {
    workers.get(0).probe.expectNoMessage(QUIET);
    for (Worker w : workers.subList(1, workers.size())) w.probe.expectNoMessage(Duration.ofMillis(20));
  }

  /** The same partial with another header and other values. */
  private static ShardGradients forged(ShardGradients g, Header h, float value) {
    FloatChunk c = g.gradient();
    float[] v = new float[c.length()];
    Arrays.fill(v, value);
    return new ShardGradients(h, g.workerId(), g.first(), g.level(), g.samples(), g.lossSum(),
        g.correct(), g.computeNanos(), g.receiveNanos(),
        new FloatChunk(v, 0, v.length, c.offset(), c.total()));
  }

  private TrainingLoop.Result result() throws Exception {
    TrainingLoop.Result r = done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    for (Worker w : workers) w.expectEnd("finished");
    return r;
  }

  private static void assertReferenceBits(Parameters actual) {
    float[] e = reference.toArray();
    float[] a = actual.toArray();
    assertEquals(e.length, a.length);
    for (int i = 0; i < e.length; i++) {
      assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]),
          "parameter " + i + ": the single-process trainer's bits");
    }
  }

  private JobFailedException failure() {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    return assertInstanceOf(JobFailedException.class, e.getCause());
  }

  // -------------------------------------------------------------------------------------------------

  @Test
  void aStepCompletesOnlyWhenEveryShardIsInWhateverTheArrivalOrder() throws Exception {
    register();
    Random random = new Random(7);
    for (long step = 1; step <= STEPS; step++) {
      List<Sent> partials = computeStep(step);
      // 8 shards on [0,1] [2,3,4] [5,6,7]: the aligned subtrees (0,1) (2,1) (4,0) (5,0) (6,1)
      assertEquals(5, partials.size());
      if (step == 1) Collections.reverse(partials); else Collections.shuffle(partials, random);
      for (Sent s : partials.subList(0, partials.size() - 1)) {
        s.from().send(s.partial());
        expectNothing(); // no next step, no end, before the last contribution
      }
      assertFalse(done.isDone());
      Sent last = partials.get(partials.size() - 1);
      last.from().send(last.partial());
    }
    assertReferenceBits(result().parameters());
    expectNothing();
  }

  @Test
  void duplicatesOldStepsAndOtherJobsAreIgnored() throws Exception {
    register();
    List<Sent> step1 = computeStep(1);
    for (Sent s : step1) s.from().send(s.partial());

    List<Sent> step2 = computeStep(2);
    Worker w0 = workers.get(0);
    // before any genuine partial of step 2: the same nodes from step 1, from another job, from a
    // future step, all with other values; none may be taken in
    for (Sent s : step1) s.from().send(s.partial());
    for (Sent s : step2) {
      s.from().send(forged(s.partial(), Header.of("another-job", 2), 1e3f));
      s.from().send(forged(s.partial(), Header.of(JOB_ID, 3), -1e3f));
    }
    expectNothing();
    // the genuine ones but the last, each followed by a forged duplicate of itself
    for (Sent s : step2.subList(0, step2.size() - 1)) {
      s.from().send(s.partial());
      s.from().send(forged(s.partial(), Header.of(JOB_ID, 2), 7f));
      s.from().send(s.partial());
    }
    expectNothing();
    Sent last = step2.get(step2.size() - 1);
    last.from().send(last.partial());

    List<Sent> step3 = computeStep(3);
    // step 2's partials once more, now an old step: no extra step, no wrong bits
    for (Sent s : step2) s.from().send(s.partial());
    w0.send(forged(step3.get(0).partial(), Header.of("another-job", 3), 0f));
    expectNothing();
    for (Sent s : step3) s.from().send(s.partial());
    assertReferenceBits(result().parameters());
    expectNothing();
  }

  @Test
  void aStepFailedFailsTheJobNamingTheWorker() {
    register();
    TestKit watcher = new TestKit(system);
    watcher.watch(coordinator);
    List<Sent> step1 = computeStep(1);
    for (Sent s : step1) if (!s.from().id.equals("w1")) s.from().send(s.partial());
    expectNothing();
    // a failure of another job is dropped; this job's fails it
    workers.get(1).send(new StepFailed(Header.of("another-job", 1), "w1", 3, "elsewhere"));
    expectNothing();
    assertFalse(done.isDone());
    workers.get(1).send(new StepFailed(Header.of(JOB_ID, 1), "w1", 3, "out of memory"));
    JobFailedException e = failure();
    assertTrue(e.getMessage().contains("worker w1") && e.getMessage().contains("shard 3")
        && e.getMessage().contains("out of memory"), e.getMessage());
    for (Worker w : workers) w.expectEnd("failed");
    watcher.expectTerminated(WAIT, coordinator);
  }

  /** Handles what comes until nothing more does, sending back every reply (stale ones too). */
  private static void runAll(Worker... ws) {
    boolean more = true;
    while (more) {
      more = false;
      for (Worker w : ws) {
        Object o = w.probe.receiveOne(QUIET);
        if (o == null) continue;
        Message m = (Message) o;
        more = true;
        for (Message r : w.session.handle(m)) w.send(r);
      }
    }
  }

  @Test
  void aWorkerThatStopsMidStepHandsItsShardsOnAndItsPartialsAreComputedAgain() throws Exception {
    register();
    Worker w0 = workers.get(0);
    Worker w1 = workers.get(1);
    Worker w2 = workers.get(2);
    List<Sent> step1 = computeStep(1);
    for (Sent s : step1) if (s.from() != w2) s.from().send(s.partial());
    system.stop(w2.probe.getRef());
    // 8 shards on w0 {0, 1} and w1 {2, 3, 4}: w0 takes 5 and 6, w1 takes 7, and they compute
    // those of step 1 again (the weights of step 1 are already with them)
    assertEquals(List.of(0, 1, 5, 6), w0.load().shards());
    assertEquals(List.of(2, 3, 4, 7), w1.load().shards());
    w0.send(new ShardsLoaded(Header.of(JOB_ID, 0), "w0", List.of(0, 1, 5, 6)));
    w1.send(new ShardsLoaded(Header.of(JOB_ID, 0), "w1", List.of(2, 3, 4, 7)));
    for (Worker w : List.of(w0, w1)) {
      StartStep again = w.probe.expectMsgClass(WAIT, StartStep.class);
      assertEquals(0, again.weights().length(), "no weights: " + w.id + " has them");
      assertEquals(w == w0 ? List.of(5, 6) : List.of(7), again.shards());
      for (Message r : w.session.handle(again)) w.send(r);
    }
    workers = List.of(w0, w1);
    for (long t = 2; t <= STEPS; t++) {
      for (Sent s : computeStep(t)) s.from().send(s.partial());
    }
    assertReferenceBits(result().parameters());
  }

  @Test
  void aWorkerThatStopsWhileLoadingHandsItsShardsOn() throws Exception {
    for (Worker w : workers) w.register();
    Worker w0 = workers.get(0);
    Worker w2 = workers.get(2);
    system.stop(workers.get(1).probe.getRef());
    runAll(w0, w2); // loading twice (w1's shards move), then every step, then the end
    assertReferenceBits(done.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
        .parameters());
  }

  @Test
  void aNanInAPartialStopsTheJobNamingTheStepAndTheShards() {
    register();
    for (Sent s : computeStep(1)) s.from().send(s.partial());
    List<Sent> step2 = computeStep(2);
    Sent bad = step2.stream().filter(s -> s.from().id.equals("w2")).findFirst().orElseThrow();
    bad.from().send(forged(bad.partial(), Header.of(JOB_ID, 2), Float.NaN));
    JobFailedException e = failure();
    assertInstanceOf(DivergedException.class, e);
    assertTrue(e.getMessage().startsWith("training diverged at step 2: the partial of shard")
        && e.getMessage().contains("from worker w2 holds a NaN or infinite gradient"),
        e.getMessage());
    for (Worker w : workers) w.expectEnd("failed");
  }

  @Test
  void aWorkerSendingAPartialOfTheWrongLengthIsDroppedAndItsShardsMove() throws Exception {
    register();
    Worker w0 = workers.get(0);
    Worker w1 = workers.get(1);
    Worker w2 = workers.get(2);
    List<Sent> step1 = computeStep(1);
    for (Sent s : step1) if (s.from() != w2) s.from().send(s.partial());
    ShardGradients g = step1.stream().filter(s -> s.from() == w2).findFirst().orElseThrow()
        .partial();
    w2.send(new ShardGradients(g.header(), g.workerId(), g.first(), g.level(), g.samples(),
        g.lossSum(), g.correct(), g.computeNanos(), g.receiveNanos(),
        new FloatChunk(new float[3], 0, 3, 0, 3)));
    w2.expectEnd("dropped from the job: step 1: a gradient of 3 values from worker w2, expected");
    runAll(w0, w1); // w2's shards move to them, step 1 is completed, then every step and the end
    assertReferenceBits(done.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
        .parameters());
  }
}
