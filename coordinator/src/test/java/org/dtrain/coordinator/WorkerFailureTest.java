package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.Props;
import akka.testkit.javadsl.TestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.dtrain.data.ShardPlan;
import org.dtrain.nn.Parameters;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.StartStep;
import org.dtrain.worker.WorkerActor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers that die or join in the middle of a 20-step job, in one JVM with real worker actors (every
 * message serialized on its way): the final weights are byte-identical to the clean run's.
 */
class WorkerFailureTest {
  private static final long STEPS = 20;
  private static final int SHARDS = 8;

  private static ActorSystem system;
  private static Job job;
  private static ShardPlan plan;
  private static Parameters reference;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("failure-test", LocalCluster.config(3,
        ConfigFactory.parseString("akka.actor.serialize-messages = on\nakka.loglevel = ERROR")));
    job = Recipes.job("data", Recipes.DATA + "iris.csv", "layers", "auto,6,auto",
        "scale", "standard", "seed", 11, "optimizer", "adam", "lr", 0.01, "batch-size", 30,
        "steps", STEPS);
    plan = new ShardPlan(job.train().rows(), SHARDS);
    reference = Recipes.singleProcess(job, plan).parameters();
  }

  @AfterAll
  static void stop() {
    TestKit.shutdownActorSystem(system);
  }

  /**
   * A worker actor behind a door: passes messages both ways, and when the coordinator starts step
   * {@code at} it runs {@code then}: DIE stops this actor, and the worker inside with it, before
   * the step's weights reach the worker (a worker dying mid-step); LET_ONE_IN starts another worker
   * and holds the step's weights 1 s; DAWDLE holds them 3 s.
   */
  static final class Door extends AbstractActor {
    enum Then { DIE, LET_ONE_IN, DAWDLE }

    private final ActorRef coordinator;
    private final String id;
    private final long at;
    private final Then then;
    private ActorRef inner;

    Door(ActorRef coordinator, String id, long at, Then then) {
      this.coordinator = coordinator;
      this.id = id;
      this.at = at;
      this.then = then;
    }

    static Props props(ActorRef coordinator, String id, long at, Then then) {
      return Props.create(Door.class, () -> new Door(coordinator, id, at, then));
    }

    @Override
    public void preStart() {
      inner = getContext().actorOf(WorkerActor.props(self(), id), "inner");
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder().match(Message.class, m -> {
        if (sender().equals(inner)) {
          coordinator.tell(m, self());
          return;
        }
        if (m instanceof StartStep s && s.header().step() == at) {
          if (then == Then.DIE) {
            getContext().stop(self());
            return;
          }
          if (then == Then.DAWDLE) { // the step's weights reach the worker 3 s late
            getContext().getSystem().scheduler().scheduleOnce(Duration.ofSeconds(3), inner, m,
                getContext().getDispatcher(), self());
            return;
          }
          system.actorOf(WorkerActor.props(coordinator, id + "-late"), id + "-late");
          // this step waits 1 s for this worker, so that the new one has registered before the
          // job ends (a 20-step job of a tiny model takes a few ms; the join was a race before)
          getContext().getSystem().scheduler().scheduleOnce(Duration.ofSeconds(1), inner, m,
              getContext().getDispatcher(), self());
          return;
        }
        inner.tell(m, self());
      }).build();
    }
  }

  /** The job over {@code workers} workers, pausing below {@code minWorkers}. */
  private static ClusterJob clusterJob(String name, int workers, int minWorkers) {
    return clusterJob(name, workers, minWorkers, Reduction.star());
  }

  private static ClusterJob clusterJob(String name, int workers, int minWorkers,
      Reduction reduction) {
    return new ClusterJob(name, new TrainingLoop(job.plan(), null, new TrainingListener() {}),
        job.train(), plan, workers, minWorkers, null, null, reduction);
  }

  /**
   * Starts the workers one after another, each once the one before has registered, so that the
   * job's worker order (and so the reduction tree) is the order given.
   */
  private static void inOrder(JobStatus status, Props... workers) throws InterruptedException {
    for (int i = 0; i < workers.length; i++) {
      system.actorOf(workers[i]);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (i + 1 < workers.length && status.snapshot().workers().size() < i + 1
          && System.nanoTime() < until) {
        Thread.sleep(5);
      }
    }
  }

  private static void assertReferenceBits(CompletableFuture<TrainingLoop.Result> done)
      throws Exception {
    Parameters got = done.get(60, TimeUnit.SECONDS).parameters();
    assertTrue(Arrays.equals(bits(reference), bits(got)), "the clean run's weights, bit for bit");
  }

  private static int[] bits(Parameters p) {
    float[] v = p.toArray();
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
    return b;
  }

  @Test
  void aWorkerStoppedInTheMiddleOfStep5LeavesTheWeightsUntouched() throws Exception {
    String name = "crash-5";
    CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
    ClusterJob cj = clusterJob(name, 3, 1);
    ActorRef coordinator = system.actorOf(CoordinatorActor.props(cj, done), name);
    system.actorOf(WorkerActor.props(coordinator, "a"), name + "-a");
    system.actorOf(Door.props(coordinator, "b", 5, Door.Then.DIE), name + "-b");
    system.actorOf(WorkerActor.props(coordinator, "c"), name + "-c");
    assertReferenceBits(done);
    assertEquals(java.util.Set.of("a", "c"), java.util.Set.copyOf(cj.workers()), "b is gone");
  }

  @Test
  void twoOfThreeWorkersDyingAtSteps3And7LeaveTheWeightsUntouched() throws Exception {
    String name = "crash-3-7";
    CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
    ClusterJob cj = clusterJob(name, 3, 1);
    ActorRef coordinator = system.actorOf(CoordinatorActor.props(cj, done), name);
    system.actorOf(Door.props(coordinator, "a", 3, Door.Then.DIE), name + "-a");
    system.actorOf(WorkerActor.props(coordinator, "b"), name + "-b");
    system.actorOf(Door.props(coordinator, "c", 7, Door.Then.DIE), name + "-c");
    assertReferenceBits(done);
    assertEquals(java.util.List.of("b"), cj.workers());
    assertEquals(java.util.List.of(0, 1, 2, 3, 4, 5, 6, 7), cj.assignment().get("b"));
  }

  @Test
  void aWorkerJoiningAtStep6TakesShardsAndLeavesTheWeightsUntouched() throws Exception {
    String name = "join-6";
    CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
    ClusterJob cj = clusterJob(name, 2, 1);
    ActorRef coordinator = system.actorOf(CoordinatorActor.props(cj, done), name);
    system.actorOf(Door.props(coordinator, "a", 6, Door.Then.LET_ONE_IN), name + "-a");
    system.actorOf(WorkerActor.props(coordinator, "b"), name + "-b");
    assertReferenceBits(done);
    assertEquals(java.util.Set.of("a", "b", "a-late"), java.util.Set.copyOf(cj.workers()));
    for (String w : cj.workers()) {
      int n = cj.assignment().get(w).size();
      assertTrue(n == 2 || n == 3, w + " hosts " + cj.assignment().get(w));
    }
  }

  @Test
  void withTooFewWorkersTheJobPausesThenGoesOnWhenOneJoins() throws Exception {
    String name = "pause";
    CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
    ClusterJob cj = clusterJob(name, 2, 2);
    JobStatus status = new JobStatus();
    ActorRef coordinator = system.actorOf(CoordinatorActor.props(cj, done,
        Duration.ofSeconds(60), null, status), name);
    system.actorOf(WorkerActor.props(coordinator, "a"), name + "-a");
    system.actorOf(Door.props(coordinator, "b", 4, Door.Then.DIE), name + "-b");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (status.snapshot().state() != JobStatus.State.PAUSED && System.nanoTime() < until
        && !done.isDone()) {
      Thread.sleep(10);
    }
    assertTrue(cj.isPaused(), "paused with 1 of --min-workers 2");
    JobStatus.Snapshot paused = status.snapshot();
    assertEquals(JobStatus.State.PAUSED, paused.state());
    assertEquals("waiting for workers: fewer than --min-workers 2 workers alive (1: a) at step 4",
        paused.message(), "what the status API shows");
    assertEquals(java.util.List.of("a"), paused.workers().stream().map(w -> w.id()).toList());
    system.actorOf(WorkerActor.props(coordinator, "c"), name + "-c");
    assertReferenceBits(done);
    assertEquals(java.util.Set.of("a", "c"), java.util.Set.copyOf(cj.workers()));
    assertEquals(JobStatus.State.FINISHED, status.snapshot().state());
  }

  @Test
  void aPauseLongerThanWaitForWorkersFailsTheJobSayingWhy() throws Exception {
    String name = "pause-timeout";
    CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
    ClusterJob cj = clusterJob(name, 2, 2);
    JobStatus status = new JobStatus();
    ActorRef coordinator = system.actorOf(CoordinatorActor.props(cj, done,
        Duration.ofSeconds(1), null, status), name);
    system.actorOf(WorkerActor.props(coordinator, "a"), name + "-a");
    system.actorOf(Door.props(coordinator, "b", 4, Door.Then.DIE), name + "-b");
    try {
      done.get(30, TimeUnit.SECONDS);
      fail("the job should fail");
    } catch (ExecutionException e) {
      assertTrue(e.getCause() instanceof JobFailedException, String.valueOf(e.getCause()));
      assertEquals("--wait-for-workers 1s is over: fewer than --min-workers 2 workers alive "
          + "(1: a) at step 4", e.getCause().getMessage());
      assertEquals(JobStatus.State.FAILED, status.snapshot().state());
      assertEquals(e.getCause().getMessage(), status.snapshot().message());
    }
  }

  @Test
  void withAStepTimeoutALateWorkersShardsAreComputedElsewhereAndTheBitsStay() throws Exception {
    String name = "straggler";
    CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
    ClusterJob cj = clusterJob(name, 3, 1);
    ActorRef coordinator = system.actorOf(CoordinatorActor.props(cj, done, null,
        Duration.ofMillis(300)), name);
    system.actorOf(WorkerActor.props(coordinator, "a"), name + "-a");
    system.actorOf(Door.props(coordinator, "b", 5, Door.Then.DAWDLE), name + "-b");
    system.actorOf(WorkerActor.props(coordinator, "c"), name + "-c");
    assertReferenceBits(done);
    assertEquals(java.util.List.of(), cj.assignment().get("b"), "b gave its shards away");
  }

  // ---- tree reduction: the step falls back to star, the bits stay ------------------------------------

  @Test
  void treeReductionARootStoppedInTheMiddleOfStep5LeavesTheWeightsUntouched() throws Exception {
    String name = "tree-root-5";
    CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
    ClusterJob cj = clusterJob(name, 3, 1, Reduction.tree(2));
    JobStatus status = new JobStatus();
    ActorRef coordinator = system.actorOf(CoordinatorActor.props(cj, done, null, null, status),
        name);
    inOrder(status, Door.props(coordinator, "a", 5, Door.Then.DIE), // the root: children b, c
        WorkerActor.props(coordinator, "b"), WorkerActor.props(coordinator, "c"));
    assertReferenceBits(done);
    assertEquals(java.util.List.of("b", "c"), cj.workers());
  }

  @Test
  void treeReductionAnInnerWorkerAndLaterTheRootDyingLeaveTheWeightsUntouched()
      throws Exception {
    String name = "tree-inner-3-root-7";
    CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
    ClusterJob cj = clusterJob(name, 5, 1, Reduction.tree(2));
    JobStatus status = new JobStatus();
    ActorRef coordinator = system.actorOf(CoordinatorActor.props(cj, done, null, null, status),
        name);
    // a <- {b <- c, d <- e}: b, with a child, dies at step 3; then a, the root, at step 7
    inOrder(status, Door.props(coordinator, "a", 7, Door.Then.DIE),
        Door.props(coordinator, "b", 3, Door.Then.DIE), WorkerActor.props(coordinator, "c"),
        WorkerActor.props(coordinator, "d"), WorkerActor.props(coordinator, "e"));
    assertReferenceBits(done);
    assertEquals(java.util.List.of("c", "d", "e"), cj.workers());
  }

  @Test
  void treeReductionAWorkerJoiningAtStep6LeavesTheWeightsUntouched() throws Exception {
    String name = "tree-join-6";
    CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
    ClusterJob cj = clusterJob(name, 2, 1, Reduction.tree(2));
    ActorRef coordinator = system.actorOf(CoordinatorActor.props(cj, done), name);
    // "t": the joiner's actor is named after it, and another test's "a-late" lives on
    system.actorOf(Door.props(coordinator, "t", 6, Door.Then.LET_ONE_IN), name + "-t");
    system.actorOf(WorkerActor.props(coordinator, "u"), name + "-u");
    assertReferenceBits(done);
    assertEquals(java.util.Set.of("t", "u", "t-late"), java.util.Set.copyOf(cj.workers()));
  }

  @Test
  void treeReductionWithAStepTimeoutFallsBackToStarThenMovesTheLateShards() throws Exception {
    String name = "tree-straggler";
    CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
    ClusterJob cj = clusterJob(name, 3, 1, Reduction.tree(2));
    ActorRef coordinator = system.actorOf(CoordinatorActor.props(cj, done, null,
        Duration.ofMillis(300)), name);
    system.actorOf(WorkerActor.props(coordinator, "a"), name + "-a");
    system.actorOf(Door.props(coordinator, "b", 5, Door.Then.DAWDLE), name + "-b");
    system.actorOf(WorkerActor.props(coordinator, "c"), name + "-c");
    assertReferenceBits(done);
    assertEquals(java.util.List.of(), cj.assignment().get("b"), "b gave its shards away");
  }
}
