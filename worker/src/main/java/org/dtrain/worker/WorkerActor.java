package org.dtrain.worker;

import akka.actor.AbstractActorWithStash;
import akka.actor.ActorRef;
import akka.actor.ExtendedActorSystem;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.Props;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dtrain.data.Dataset;
import org.dtrain.link.Link;
import org.dtrain.link.LinkClient;
import org.dtrain.link.LinkLoop;
import org.dtrain.link.LinkTls;
import org.dtrain.protocol.Chunking;
import org.dtrain.protocol.EndJob;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.JobSpec;
import org.dtrain.protocol.LinkHello;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.StartStep;
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
 * <p>A slowed-down worker ({@code --sim-slow-worker}, factor F) holds a step's replies back for
 * (F - 1) times its compute time on a timer, stashing what arrives meanwhile (it is "still
 * computing"), without holding a dispatcher thread or burning a core.
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
  private boolean slowing; // holding replies back for the slowdown: new messages wait
  private final Map<String, ActorRef> peers = new HashMap<>(); // by actor address

  /** The slowdown wait is over: send these replies (sent to itself from the timer). */
  private record SlowDone(List<Outgoing> replies) implements NoSerializationVerificationNeeded {}

  /** One daemon thread for every worker's slowdown waits: it parks until due, burns no core. */
  private static final class Timer {
    static final ScheduledExecutorService INSTANCE = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dtrain-worker-slowdown");
      t.setDaemon(true);
      return t;
    });
  }

  /** The link is up (sent to itself from the link's thread). */
  private record LinkUp(Link link) implements NoSerializationVerificationNeeded {}

  /** The link could not be opened, or closed. */
  private record LinkDown(String offer, String cause) implements NoSerializationVerificationNeeded {}

  private WorkerActor(ActorRef coordinator, String workerId, Consumer<EndJob> onEnd,
      Function<String, Dataset> dataLoader, double slowdown) {
    this.coordinator = coordinator;
    this.session = new WorkerSession(workerId, dataLoader,
        getContext().getSystem().settings().config().getInt("dtrain.worker.shard-threads"),
        slowdown);
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
        () -> new WorkerActor(coordinator, workerId, onEnd, dataLoader, 1.0));
  }

  /**
   * A simulated slow machine: every step's compute takes {@code slowdown} times as long (see
   * {@link WorkerSession#WorkerSession(String, Function, int, double)}); 1 is a normal worker.
   */
  public static Props props(ActorRef coordinator, String workerId, double slowdown) {
    if (!(slowdown >= 1) || Double.isInfinite(slowdown)) {
      throw new IllegalArgumentException("slowdown must be finite and at least 1: " + slowdown);
    }
    return Props.create(WorkerActor.class,
        () -> new WorkerActor(coordinator, workerId, e -> {}, null, slowdown));
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
        .match(Message.class, m -> connecting || slowing, m -> stash())
        .match(Message.class, this::onMessage)
        .match(SlowDone.class, this::onSlowDone)
        .match(LinkUp.class, this::onLinkUp)
        .match(LinkDown.class, this::onLinkDown)
        .build();
  }

  private void onMessage(Message m) {
    try {
      List<Outgoing> replies = session.process(m);
      long owed = session.takeOwedNanos();
      if (owed > 0) {
        holdBack(replies, owed);
      } else {
        for (Outgoing out : replies) deliver(out);
      }
      if (m instanceof JobSpec j && j.link() != null && session.hasJob(j.header().jobId())) {
        openLink(j);
      }
    } catch (RuntimeException e) {
      send(new StepFailed(m.header(), session.workerId(), -1,
          e.getClass().getSimpleName() + ": " + e.getMessage()));
    } finally { // the weights' buffer was taken over or copied out: the link may lend it again
      if (link != null && m instanceof StartStep s) link.giveBack(s.weights().values());
    }
    if (m instanceof EndJob e) {
      if (link != null) link.close();
      dropLink();
      onEnd.accept(e);
    }
  }

  /** The slowdown: {@code replies} go out {@code nanos} from now; until then messages wait. */
  private void deliver(Outgoing out) {
    if (out.toCoordinator()) send(out.message());
    else sendToPeer(out.peer(), out.message());
  }

  private void holdBack(List<Outgoing> replies, long nanos) {
    slowing = true;
    ActorRef me = self();
    Timer.INSTANCE.schedule(() -> me.tell(new SlowDone(replies), ActorRef.noSender()), nanos,
        TimeUnit.NANOSECONDS);
  }

  private void onSlowDone(SlowDone done) {
    slowing = false;
    for (Outgoing out : done.replies()) deliver(out);
    unstashAll();
  }

  private void openLink(JobSpec j) {
    if (link != null) link.close();
    dropLink();
    connecting = true;
    ActorRef me = self();
    String offer = j.link().toString();
    LinkHello hello = new LinkHello(j.header(), session.workerId(), j.link().token());
    LinkClient.connect(j.link(), hello, LinkTls.of(getContext().getSystem()),
            LinkLoop.get(getContext().getSystem()).actorLoop(), m -> me.tell(m, ActorRef.noSender()),
            () -> me.tell(new LinkDown(offer, "closed"), ActorRef.noSender()))
        .whenComplete((l, e) -> me.tell(l != null ? new LinkUp(l)
            : new LinkDown(offer, String.valueOf(e)), ActorRef.noSender()));
  }

  /** No link from now on: replies go over Akka, in arrays of their own (no views of the tree). */
  private void dropLink() {
    link = null;
    session.dataLink(null);
  }

  private void onLinkUp(LinkUp up) {
    if (!connecting) { // the job moved on meanwhile
      up.link().close();
      return;
    }
    link = up.link();
    Link l = link;
    session.dataLink(new BufferExchange() { // its replies go out in this handler, before the next
      @Override
      public boolean exchange(FloatBuffer received, FloatBuffer replaced) {
        return l.exchange(received, replaced);
      }

      @Override
      public FloatBuffer handOver(FloatBuffer sent) {
        return l.handOver(sent);
      }
    });
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
      dropLink();
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
