package org.dtrain.coordinator;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.Props;
import akka.cluster.Cluster;
import akka.cluster.ClusterEvent;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.dtrain.data.Dataset;
import org.dtrain.data.ShardPlan;
import org.dtrain.link.LinkLoop;
import org.dtrain.link.LinkTls;
import org.dtrain.worker.WorkerNode;
import org.dtrain.worker.WorkerProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dtrain coordinator}: the coordinator actor on a cluster node of its own (role
 * {@code coordinator}, the seed node), training with the worker processes that join. The same actor
 * and the same messages as in one JVM; only the transport differs.
 */
public final class RemoteCluster {
  private static final Logger log = LoggerFactory.getLogger(RemoteCluster.class);

  private RemoteCluster() {}

  /**
   * Waits for {@code workers} workers to join, then trains; blocks until the job ends.
   *
   * @param minWorkers below this many live workers the job pauses; it fails when the pause lasts
   *     {@code waitForWorkers}
   * @param stepTimeout re-run late workers' shards elsewhere after this long (null: never)
   * @param dataConfig null to ship the workers their rows; else the job (HOCON) with which every
   *     worker reads the training data itself ({@code --data-on-workers}, see {@link ClusterJob})
   * @param dataPort the port of the workers' data links (0: any free one), or -1 to send the
   *     tensors over Akka (Artery) too
   * @param akka Akka settings over dtrain's (TLS)
   * @param status shows the job while it runs (the HTTP endpoint reads it)
   *
   * @throws JobFailedException when the workers do not come in time, one fails, or training diverges
   */
  public static TrainingLoop.Result train(TrainingLoop loop, Dataset train, ShardPlan plan,
      int workers, int minWorkers, String bindHost, int port, Duration waitForWorkers,
      Duration stepTimeout, String dataConfig,
      int dataPort, Map<String, Object> akka, JobStatus status) {
    String jobId = UUID.randomUUID().toString();
    status.begin(jobId, loop.plan().totalSteps(), loop.plan().epochs());
    showMembership();
    ActorSystem system = ActorSystem.create("dtrain", WorkerProcess.config(bindHost, port, bindHost,
        port, WorkerNode.COORDINATOR_ROLE, akka));
    LinkServer links = null;
    try {
      LinkLoop linkLoop = LinkLoop.get(system); // the coordinator actor and its links: one thread
      if (dataPort >= 0) {
        links = LinkServer.start(jobId, bindHost, dataPort, LinkTls.of(system), linkLoop.group());
        log.info("data links on {}:{}", bindHost, links.port());
      }
      LinkServer server = links;
      ClusterJob job = new ClusterJob(jobId, loop, train, plan, workers, minWorkers, dataConfig,
          server == null ? null : server::offer);
      status.state(job.status(), job.statusMessage()); // "waiting for workers" before anyone can ask
      system.actorOf(Props.create(MembershipLog.class, MembershipLog::new), "membership");
      CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
      ActorRef coordinator = system.actorOf(CoordinatorActor.props(job, done, waitForWorkers, stepTimeout, status)
          .withDispatcher(linkLoop.dispatcher()), "coordinator");
      if (server != null) server.deliverTo(coordinator);
      log.info("coordinator listening on {}; waiting for {} workers",
          Cluster.get(system).selfAddress(), workers);
      return LocalCluster.await(done);
    } catch (IllegalStateException e) { // the data port
      throw new JobFailedException(e.getMessage());
    } finally {
      if (links != null) links.close(); // before the system (and with it the link loop) stops
      WorkerProcess.shutdown(system);
    }
  }

  /**
   * In a multi-node job, workers registering, joining and getting lost are news: the job's INFO
   * lines are shown (in one JVM they are not), unless the logging configuration says otherwise.
   */
  private static void showMembership() {
    if (LoggerFactory.getLogger(ClusterJob.class) instanceof ch.qos.logback.classic.Logger l
        && l.getLevel() == null) {
      l.setLevel(ch.qos.logback.classic.Level.INFO);
    }
  }

  /** Logs every membership change of the cluster. */
  static final class MembershipLog extends AbstractActor {
    @Override
    public void preStart() {
      Cluster.get(getContext().getSystem()).subscribe(self(), ClusterEvent.initialStateAsEvents(),
          ClusterEvent.MemberEvent.class, ClusterEvent.UnreachableMember.class,
          ClusterEvent.ReachableMember.class);
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder()
          .match(ClusterEvent.MemberUp.class, e -> log.info("member up: {} {}",
              e.member().address(), e.member().getRoles()))
          .match(ClusterEvent.MemberRemoved.class, e -> log.info("member removed: {} (was {})",
              e.member().address(), e.previousStatus()))
          .match(ClusterEvent.UnreachableMember.class, e -> log.warn("member unreachable: {}",
              e.member().address()))
          .match(ClusterEvent.ReachableMember.class, e -> log.info("member reachable again: {}",
              e.member().address()))
          .match(ClusterEvent.MemberEvent.class, e -> log.debug("member {}: {}",
              e.member().address(), e.member().status()))
          .build();
    }
  }
}
