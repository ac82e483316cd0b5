package org.dtrain.coordinator;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.Props;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.Terminated;
import akka.serialization.Serialization;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.dtrain.link.Link;
import org.dtrain.link.WireBuffers;
import org.dtrain.protocol.Chunking;
import org.dtrain.protocol.EndJob;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.MessageCodec;
import org.dtrain.protocol.ReductionTarget;
import org.dtrain.protocol.RegisterWorker;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.StartStep;

/**
 * The coordinator: hands every worker message to its {@link ClusterJob} and sends what it returns. It
 * only moves messages, watches the workers, and completes {@code done} with the trained result or the
 * failure. A message to a worker goes over its data link when it has one ({@link LinkServer}), else
 * over Akka with its tensor cut below Artery's frame. A worker that stops, becomes unreachable
 * (DeathWatch) or loses its link is reported to the job, which moves its shards; while the job
 * waits for workers, {@code waitForWorkers} bounds the wait. After every message it shows the job's
 * state, workers and traffic on its {@link JobStatus}.
 *
 * <p>In tree reduction the job names each worker's parent by id; the actor, which alone knows the
 * workers' actors, writes the parent's address into the StartStep before sending it.
 */
public final class CoordinatorActor extends AbstractActor {
  private final ClusterJob job;
  private final CompletableFuture<TrainingLoop.Result> done;
  private final Map<String, ActorRef> workers = new HashMap<>();
  private final Map<ActorRef, String> names = new HashMap<>();
  private final Map<String, String> addresses = new HashMap<>(); // of workers, for the status page
  private final Map<String, Link> links = new HashMap<>();
  private final WireBuffers wire = new WireBuffers(ByteBufAllocator.DEFAULT);
  private final JobStatus status;

  private final Duration waitForWorkers; // null: wait for ever

  /** Sent to itself when --wait-for-workers is over. */
  private static final class WaitExpired implements NoSerializationVerificationNeeded {}

  /** Sent to itself --wait-for-workers after the job paused for the n-th time. */
  private record PauseExpired(int pause) implements NoSerializationVerificationNeeded {}

  private int pauseTimed; // the last pause a PauseExpired was scheduled for

  /** Sent to itself --step-timeout after step n started, or fell back to star (round 1). */
  private record StepTimeout(long step, int round) implements NoSerializationVerificationNeeded {}

  private final Duration stepTimeout; // null: off
  private long stepTimed;             // the last step a StepTimeout was scheduled for
  private int roundTimed;             // and its round

  private CoordinatorActor(ClusterJob job, CompletableFuture<TrainingLoop.Result> done,
      Duration waitForWorkers, Duration stepTimeout, JobStatus status) {
    this.job = job;
    this.status = status;
    this.done = done;
    this.waitForWorkers = waitForWorkers;
    this.stepTimeout = stepTimeout;
  }

  public static Props props(ClusterJob job, CompletableFuture<TrainingLoop.Result> done) {
    return props(job, done, null);
  }

  /** @param waitForWorkers fail when not every worker has registered by then; null waits for ever */
  public static Props props(ClusterJob job, CompletableFuture<TrainingLoop.Result> done,
      Duration waitForWorkers) {
    return props(job, done, waitForWorkers, null);
  }

  /**
   * @param stepTimeout when a step takes longer, the late workers' shards are computed again on
   *     the workers that are done ({@link ClusterJob#stepTimedOut}); null: never
   */
  public static Props props(ClusterJob job, CompletableFuture<TrainingLoop.Result> done,
      Duration waitForWorkers, Duration stepTimeout) {
    return props(job, done, waitForWorkers, stepTimeout, new JobStatus());
  }

  /** @param status where the job's state, workers and traffic are shown */
  public static Props props(ClusterJob job, CompletableFuture<TrainingLoop.Result> done,
      Duration waitForWorkers, Duration stepTimeout, JobStatus status) {
    return Props.create(CoordinatorActor.class,
        () -> new CoordinatorActor(job, done, waitForWorkers, stepTimeout, status));
  }

  @Override
  public void preStart() {
    publish();
    job.buffersFrom(id -> { // a whole gradient that came over a link becomes a tree node's buffer
      Link link = links.get(id);
      return link == null ? null : link::exchange;
    });
    if (waitForWorkers != null) {
      getContext().getSystem().scheduler().scheduleOnce(waitForWorkers, self(), new WaitExpired(),
          getContext().getDispatcher(), self());
    }
  }

  @Override
  public void postStop() {
    wire.releaseAll();
  }

  /**
   * With the first data link, the job's weights move into memory the links send from as it is
   * ({@link WireBuffers}): the optimizer updates them there and every link's frame carries them,
   * with no snapshot and no copy ({@link ClusterJob#weightsLiveIn}). Not on a big-endian host,
   * where that memory (little-endian, as the frames) is not the math core's native order.
   */
  private void firstLink() {
    if (job.weightsLive() || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) return;
    job.weightsLiveIn(wire.lend(job.parameterCount()));
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(RegisterWorker.class, this::onRegister)
        .match(Message.class, m -> {
          run(() -> job.handle(m));
          status.traffic(0, MessageCodec.wireSize(m)); // after: what it starts goes out first
          if (m instanceof ShardGradients g && links.containsKey(g.workerId())) {
            links.get(g.workerId()).giveBack(g.gradient().values()); // copied in (else: ignored)
          }
        })
        .match(LinkServer.Up.class, up -> {
          links.put(up.workerId(), up.link());
          firstLink();
        })
        .match(LinkServer.Down.class, down -> {
          if (links.remove(down.workerId()) != null && job.isRegistered(down.workerId())) {
            ActorRef w = workers.get(down.workerId());
            if (w != null) {
              w.tell(new EndJob(Header.of(job.jobId(), 0),
                  "dropped from the job: its data link closed"), self());
            }
            lost(down.workerId(), "its data link closed");
          }
        })
        .match(Terminated.class, t -> {
          String id = names.get(t.actor());
          if (id != null) lost(id, "it stopped or its node became unreachable");
        })
        .match(StepTimeout.class, t -> {
          if (t.round() == job.stepRound()) run(() -> job.stepTimedOut(t.step()));
        })
        .match(PauseExpired.class, p -> {
          if (job.isPaused() && job.pauses() == p.pause()) {
            fail(new JobFailedException("--wait-for-workers " + waitForWorkers.toSeconds()
                + "s is over: " + job.pausedFor()));
          }
        })
        .match(WaitExpired.class, w -> {
          if (!job.isStarted()) {
            fail(new JobFailedException("--wait-for-workers " + waitForWorkers.toSeconds()
                + "s is over: " + job.waitingFor()));
          }
        })
        .build();
  }

  private void onRegister(RegisterWorker r) {
    ActorRef w = sender();
    run(() -> {
      List<ClusterJob.Send> out = job.handle(r);
      if (!job.isRegistered(r.workerId())) { // refused: the answer goes to the sender
        for (ClusterJob.Send s : out) w.tell(s.message(), self());
        return List.of();
      }
      if (!workers.containsKey(r.workerId())) {
        workers.put(r.workerId(), w);
        names.put(w, r.workerId());
        addresses.put(r.workerId(), w.path().toString());
        getContext().watch(w);
      }
      return out;
    });
  }

  private void lost(String id, String why) {
    ActorRef w = workers.remove(id);
    addresses.remove(id);
    if (w != null) {
      names.remove(w);
      getContext().unwatch(w);
    }
    Link link = links.remove(id);
    if (link != null) link.close();
    run(() -> job.workerLost(id, why));
  }

  private void run(java.util.function.Supplier<List<ClusterJob.Send>> step) {
    if (done.isDone()) return;
    try {
      send(step.get());
      if (job.isFinished()) {
        publish(); // before anyone waiting on done reads the status
        done.complete(job.result());
        getContext().stop(self());
      }
      long s = job.stepInProgress();
      int round = job.stepRound();
      if (!done.isDone() && stepTimeout != null && s != 0
          && (s != stepTimed || round != roundTimed)) {
        stepTimed = s;
        roundTimed = round;
        getContext().getSystem().scheduler().scheduleOnce(stepTimeout, self(),
            new StepTimeout(s, round), getContext().getDispatcher(), self());
      }
      if (!done.isDone() && job.isPaused() && waitForWorkers != null
          && pauseTimed != job.pauses()) {
        pauseTimed = job.pauses();
        getContext().getSystem().scheduler().scheduleOnce(waitForWorkers, self(),
            new PauseExpired(pauseTimed), getContext().getDispatcher(), self());
      }
    } catch (RuntimeException e) {
      fail(e);
    }
    publish();
  }

  /** Shows the job's state and workers on the status. */
  private void publish() {
    status.state(job.status(), job.statusMessage());
    status.workers(job.workerViews(id -> addresses.getOrDefault(id, "")));
  }

  private void send(List<ClusterJob.Send> out) {
    List<Message> sent = new ArrayList<>(out.size());
    List<Link> viaLinks = new ArrayList<>();
    List<Message> overLinks = new ArrayList<>();
    for (ClusterJob.Send s : out) {
      Message m = withParentAddress(s.message());
      Link link = links.get(s.workerId());
      if (link != null) {
        viaLinks.add(link);
        overLinks.add(m);
        sent.add(m);
        continue;
      }
      ActorRef w = workers.get(s.workerId());
      if (w == null) continue;
      for (Message piece : Chunking.split(offWire(m), FloatChunk.MAX_FLOATS)) w.tell(piece, self());
      sent.add(m);
    }
    // a step's weights encoded once for all links, or sent out of the memory they were written in
    Link.sendAll(viaLinks, overLinks, wire);
    for (Message m : sent) status.traffic(MessageCodec.wireSize(m), 0); // once all are on their way
  }

  /**
   * m, or m with a copy of its weights when they lie in wire memory: Akka keeps a message and
   * serializes it later, on its own threads, and the weights there change with the next update.
   */
  private Message offWire(Message m) {
    if (!(m instanceof StartStep s) || !wire.isLent(s.weights().values())) return m;
    FloatChunk w = s.weights();
    float[] copy = new float[w.length()];
    w.values().get(w.from(), copy, 0, w.length());
    return s.withWeights(new FloatChunk(copy, 0, w.length(), w.offset(), w.total()));
  }

  /** A StartStep of a tree step with the parent worker's address filled in (if it is known). */
  private Message withParentAddress(Message m) {
    if (!(m instanceof StartStep s) || s.reduction() == null || s.reduction().toCoordinator()) {
      return m;
    }
    ReductionTarget r = s.reduction();
    ActorRef parent = workers.get(r.parentId());
    return parent == null ? m
        : s.withReduction(r.withParentAddress(Serialization.serializedActorPath(parent)));
  }

  private void fail(RuntimeException e) {
    if (done.isDone()) return;
    send(job.endJob("failed: " + e.getMessage()));
    status.state(JobStatus.State.FAILED, e.getMessage());
    done.completeExceptionally(e);
    getContext().stop(self());
  }
}
