package org.dtrain.coordinator;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.Props;
import akka.actor.Terminated;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.RegisterWorker;

/**
 * The coordinator: hands every worker message to its {@link ClusterJob} and sends what it returns. It
 * only moves messages, watches the workers, and completes {@code done} with the trained result or the
 * failure.
 */
public final class CoordinatorActor extends AbstractActor {
  private final ClusterJob job;
  private final CompletableFuture<TrainingLoop.Result> done;
  private final Map<String, ActorRef> workers = new HashMap<>();
  private final Map<ActorRef, String> names = new HashMap<>();

  private CoordinatorActor(ClusterJob job, CompletableFuture<TrainingLoop.Result> done) {
    this.job = job;
    this.done = done;
  }

  public static Props props(ClusterJob job, CompletableFuture<TrainingLoop.Result> done) {
    return Props.create(CoordinatorActor.class, () -> new CoordinatorActor(job, done));
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(RegisterWorker.class, this::onRegister)
        .match(Message.class, m -> run(() -> job.handle(m)))
        .match(Terminated.class, t -> fail(new JobFailedException("worker "
            + names.getOrDefault(t.actor(), t.actor().path().name()) + " stopped")))
        .build();
  }

  private void onRegister(RegisterWorker r) {
    ActorRef w = sender();
    List<ClusterJob.Send> out = job.handle(r);
    if (job.isRegistered(r.workerId()) && !workers.containsKey(r.workerId())) {
      workers.put(r.workerId(), w);
      names.put(w, r.workerId());
      getContext().watch(w);
    }
    send(out);
  }

  private void run(java.util.function.Supplier<List<ClusterJob.Send>> step) {
    if (done.isDone()) return;
    try {
      send(step.get());
      if (job.isFinished()) {
        done.complete(job.result());
        getContext().stop(self());
      }
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private void send(List<ClusterJob.Send> out) {
    for (ClusterJob.Send s : out) {
      ActorRef w = workers.get(s.workerId());
      if (w != null) w.tell(s.message(), self());
    }
  }

  private void fail(RuntimeException e) {
    if (done.isDone()) return;
    send(job.endJob("failed: " + e.getMessage()));
    done.completeExceptionally(e);
    getContext().stop(self());
  }
}
