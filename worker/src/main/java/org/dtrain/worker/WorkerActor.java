package org.dtrain.worker;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.Props;
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

  private WorkerActor(ActorRef coordinator, String workerId) {
    this.coordinator = coordinator;
    this.session = new WorkerSession(workerId);
  }

  public static Props props(ActorRef coordinator, String workerId) {
    return Props.create(WorkerActor.class, () -> new WorkerActor(coordinator, workerId));
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
  }
}
