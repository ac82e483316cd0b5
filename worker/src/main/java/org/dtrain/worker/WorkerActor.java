package org.dtrain.worker;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.Props;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dtrain.data.Dataset;
import org.dtrain.protocol.EndJob;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.StepFailed;

/**
 * A worker: registers with the coordinator, then hands every message to its {@link WorkerSession}
 * and sends the replies back. It only moves messages; a failure inside the session becomes a
 * {@link StepFailed} for the coordinator, never a silent restart.
 */
public final class WorkerActor extends AbstractActor {
  private final ActorRef coordinator;
  private final WorkerSession session;
  private final Consumer<EndJob> onEnd;

  private WorkerActor(ActorRef coordinator, String workerId, Consumer<EndJob> onEnd,
      Function<String, Dataset> dataLoader) {
    this.coordinator = coordinator;
    this.session = new WorkerSession(workerId, dataLoader,
        getContext().getSystem().settings().config().getInt("dtrain.worker.shard-threads"));
    this.onEnd = onEnd;
  }

  public static Props props(ActorRef coordinator, String workerId) {
    return props(coordinator, workerId, e -> {});
  }

  /** @param onEnd hears the coordinator's EndJob (the job finished or failed, or this worker was refused) */
  public static Props props(ActorRef coordinator, String workerId, Consumer<EndJob> onEnd) {
    return props(coordinator, workerId, onEnd, null);
  }

  /** @param dataLoader see {@link WorkerSession#WorkerSession(String, Function)}; null: rows are shipped */
  public static Props props(ActorRef coordinator, String workerId, Consumer<EndJob> onEnd,
      Function<String, Dataset> dataLoader) {
    return Props.create(WorkerActor.class,
        () -> new WorkerActor(coordinator, workerId, onEnd, dataLoader));
  }

  @Override
  public void postStop() {
    session.close();
  }

  @Override
  public void preStart() {
    coordinator.tell(session.register(), self());
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(Message.class, this::onMessage)
        .build();
  }

  private void onMessage(Message m) {
    ActorRef replyTo = sender();
    try {
      for (Message reply : session.handle(m)) replyTo.tell(reply, self());
    } catch (RuntimeException e) {
      replyTo.tell(new StepFailed(m.header(), session.workerId(), -1,
          e.getClass().getSimpleName() + ": " + e.getMessage()), self());
    }
    if (m instanceof EndJob e) onEnd.accept(e);
  }
}
