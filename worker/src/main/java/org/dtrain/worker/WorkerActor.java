package org.dtrain.worker;

import akka.actor.AbstractActorWithStash;
import akka.actor.ActorRef;
import akka.actor.ExtendedActorSystem;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.Props;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dtrain.data.Dataset;
import org.dtrain.link.Link;
import org.dtrain.link.LinkClient;
import org.dtrain.link.LinkTls;
import org.dtrain.protocol.Chunking;
import org.dtrain.protocol.EndJob;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.JobSpec;
import org.dtrain.protocol.LinkHello;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.StepFailed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: registers with the coordinator, then hands every message to its {@link WorkerSession}
 * and sends the replies back. It only moves messages; a failure inside the session becomes a
 * {@link StepFailed} for the coordinator, never a silent restart.
 *
 * <p>When the job spec offers a data link, the worker opens it (holding other messages until it is
 * up) and from then on sends everything over it; the coordinator sends the steps' weights over it.
 * Without a link, replies go over Akka, their tensors cut below Artery's frame.
 *
 * <p>In tree reduction the session also sends partials to a parent worker, named by its actor
 * address: those go over Akka, cut below Artery's frame too, and children's partials arrive here as
 * any other message.
 */
public final class WorkerActor extends AbstractActorWithStash {
  private static final Logger log = LoggerFactory.getLogger(WorkerActor.class);

  private final ActorRef coordinator;
  private final WorkerSession session;
  private final Consumer<EndJob> onEnd;
  private Link link; // null: replies go over Akka
  private boolean connecting;
  private final Map<String, ActorRef> peers = new HashMap<>(); // by actor address

  /** The link is up (sent to itself from the link's thread). */
  private record LinkUp(Link link) implements NoSerializationVerificationNeeded {}

  /** The link could not be opened, or closed. */
  private record LinkDown(String offer, String cause) implements NoSerializationVerificationNeeded {}

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
    if (link != null) link.close();
    session.close();
  }

  @Override
  public void preStart() {
    coordinator.tell(session.register(), self());
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(Message.class, m -> connecting, m -> stash())
        .match(Message.class, this::onMessage)
        .match(LinkUp.class, this::onLinkUp)
        .match(LinkDown.class, this::onLinkDown)
        .build();
  }

  private void onMessage(Message m) {
    try {
      for (Outgoing out : session.process(m)) {
        if (out.toCoordinator()) send(out.message());
        else sendToPeer(out.peer(), out.message());
      }
      if (m instanceof JobSpec j && j.link() != null && session.hasJob(j.header().jobId())) {
        openLink(j);
      }
    } catch (RuntimeException e) {
      send(new StepFailed(m.header(), session.workerId(), -1,
          e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    if (m instanceof EndJob e) {
      if (link != null) link.close();
      link = null;
      onEnd.accept(e);
    }
  }

  private void openLink(JobSpec j) {
    if (link != null) link.close();
    link = null;
    connecting = true;
    ActorRef me = self();
    String offer = j.link().toString();
    LinkHello hello = new LinkHello(j.header(), session.workerId(), j.link().token());
    LinkClient.connect(j.link(), hello, LinkTls.of(getContext().getSystem()),
            m -> me.tell(m, ActorRef.noSender()),
            () -> me.tell(new LinkDown(offer, "closed"), ActorRef.noSender()))
        .whenComplete((l, e) -> me.tell(l != null ? new LinkUp(l)
            : new LinkDown(offer, String.valueOf(e)), ActorRef.noSender()));
  }

  private void onLinkUp(LinkUp up) {
    if (!connecting) { // the job moved on meanwhile
      up.link().close();
      return;
    }
    link = up.link();
    connecting = false;
    log.debug("worker {}: data link up to {}", session.workerId(), link.remote());
    unstashAll();
  }

  private void onLinkDown(LinkDown down) {
    if (connecting) { // could not open it: the coordinator fails the job with the cause
      connecting = false;
      send(new StepFailed(Header.of(session.jobId(), 0), session.workerId(), -1,
          "cannot open the data link to the coordinator at " + down.offer() + ": " + down.cause()));
      unstashAll();
    } else if (link != null && !link.isOpen()) {
      log.warn("worker {}: the data link to {} closed; replies go over Akka", session.workerId(),
          down.offer());
      link = null;
    }
  }

  /** A message for a peer worker (its partial in tree reduction), over Akka, cut below the frame. */
  private void sendToPeer(String address, Message m) {
    ActorRef peer = peers.computeIfAbsent(address,
        a -> ((ExtendedActorSystem) getContext().getSystem()).provider().resolveActorRef(a));
    for (Message piece : Chunking.split(m, FloatChunk.MAX_FLOATS)) peer.tell(piece, self());
  }

  private void send(Message m) {
    if (link != null) {
      link.send(m);
      return;
    }
    for (Message piece : Chunking.split(m, FloatChunk.MAX_FLOATS)) coordinator.tell(piece, self());
  }
}
