package org.dtrain.worker;

import akka.actor.AbstractActor;
import akka.actor.ActorIdentity;
import akka.actor.ActorRef;
import akka.actor.Address;
import akka.actor.Identify;
import akka.actor.Props;
import akka.actor.Terminated;
import akka.cluster.Cluster;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.dtrain.data.Dataset;
import org.dtrain.link.LinkLoop;
import org.dtrain.protocol.EndJob;

/**
 * A worker process's root: finds the coordinator through cluster membership (the member with role
 * {@code coordinator}), starts the {@link WorkerActor} that talks to it, and completes {@code ended}
 * when the job ends, the registration is refused, or the coordinator goes away. The worker actor
 * runs on the node's {@link LinkLoop}, the thread of its data link.
 */
public final class WorkerNode extends AbstractActor {
  /**
   * How a worker's part in a job ended.
   *
   * @param coordinatorLost the coordinator went away mid-job (it may come back: join again)
   */
  public record Ended(boolean ok, String reason, boolean coordinatorLost) {
    public Ended(boolean ok, String reason) {
      this(ok, reason, false);
    }
  }

  public static final String COORDINATOR_ROLE = "coordinator";
  public static final String WORKER_ROLE = "worker";

  private final String workerId;
  private final CompletableFuture<Ended> ended;
  private final Function<String, Dataset> dataLoader; // null: rows are shipped
  private final java.util.concurrent.atomic.AtomicBoolean joined;
  private Address coordinatorAddress;
  private ActorRef coordinator;

  private WorkerNode(String workerId, CompletableFuture<Ended> ended,
      Function<String, Dataset> dataLoader, java.util.concurrent.atomic.AtomicBoolean joined) {
    this.workerId = workerId;
    this.ended = ended;
    this.dataLoader = dataLoader;
    this.joined = joined;
  }

  public static Props props(String workerId, CompletableFuture<Ended> ended) {
    return props(workerId, ended, null);
  }

  /** @param dataLoader reads the training rows from the coordinator's job configuration (--data-on-workers) */
  public static Props props(String workerId, CompletableFuture<Ended> ended,
      Function<String, Dataset> dataLoader) {
    return props(workerId, ended, dataLoader, new java.util.concurrent.atomic.AtomicBoolean());
  }

  /** @param joined set once the coordinator actor is found */
  public static Props props(String workerId, CompletableFuture<Ended> ended,
      Function<String, Dataset> dataLoader, java.util.concurrent.atomic.AtomicBoolean joined) {
    return Props.create(WorkerNode.class,
        () -> new WorkerNode(workerId, ended, dataLoader, joined));
  }

  @Override
  public void preStart() {
    Cluster.get(getContext().getSystem()).subscribe(self(),
        ClusterEvent.initialStateAsEvents(), ClusterEvent.MemberUp.class,
        ClusterEvent.MemberRemoved.class);
  }

  @Override
  public void postStop() {
    Cluster.get(getContext().getSystem()).unsubscribe(self());
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(ClusterEvent.MemberUp.class, up -> onUp(up.member()))
        .match(ClusterEvent.MemberRemoved.class, rm -> {
          if (rm.member().address().equals(coordinatorAddress)) {
            lost("the coordinator at " + coordinatorAddress + " left the cluster");
          }
        })
        .match(ActorIdentity.class, this::onIdentity)
        .match(String.class, "identify"::equals, s -> identify())
        .match(Terminated.class, t -> lost("the coordinator stopped"))
        .match(Lost.class, l -> end(new Ended(false, l.reason(), true)))
        .match(EndJob.class, e -> end(e.reason().equals("finished")
            ? new Ended(true, "the job finished")
            : new Ended(false, e.reason())))
        .build();
  }

  private void onUp(Member m) {
    if (coordinatorAddress == null && m.hasRole(COORDINATOR_ROLE)) {
      coordinatorAddress = m.address();
      identify();
    }
  }

  private void identify() {
    if (coordinator == null) {
      getContext().actorSelection(coordinatorAddress + "/user/coordinator")
          .tell(new Identify(workerId), self());
    }
  }

  private void onIdentity(ActorIdentity id) {
    if (coordinator != null) return;
    if (id.getActorRef().isEmpty()) { // the coordinator actor is not up yet: ask again shortly
      getContext().getSystem().scheduler().scheduleOnce(Duration.ofMillis(200), self(), "identify",
          getContext().getDispatcher(), self());
      return;
    }
    coordinator = id.getActorRef().get();
    joined.set(true);
    getContext().watch(coordinator);
    ActorRef me = self();
    getContext().actorOf(WorkerActor.props(coordinator, workerId,
            e -> me.tell(e, ActorRef.noSender()), dataLoader)
        .withDispatcher(LinkLoop.get(getContext().getSystem()).dispatcher()), "worker");
  }

  /** The coordinator is gone, unless its EndJob (sent before it stopped) comes within a second. */
  private record Lost(String reason) implements akka.actor.NoSerializationVerificationNeeded {}

  private void lost(String reason) {
    getContext().getSystem().scheduler().scheduleOnce(Duration.ofSeconds(1), self(),
        new Lost(reason), getContext().getDispatcher(), self());
  }

  private void end(Ended e) {
    if (!ended.isDone()) ended.complete(e);
  }
}
