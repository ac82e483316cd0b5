package org.dtrain.worker;

import akka.actor.ActorSystem;
import akka.actor.CoordinatedShutdown;
import akka.cluster.Cluster;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.dtrain.data.Dataset;

/**
 * {@code dtrain worker}: joins the cluster of the coordinator at {@code host:port} with role
 * {@code worker}, hosts the shards it is given and computes their gradients until the job ends.
 */
public final class WorkerProcess {
  private WorkerProcess() {}

  /**
   * @param bindHost the address this worker listens on and announces
   * @param port 0 for any free port
   * @param dataLoader reads the training rows from the coordinator's job configuration
   *     ({@code --data-on-workers}); null when the coordinator always ships the rows
   * @param akka Akka settings over dtrain's (TLS)
   * @return how the job ended for this worker
   */
  public static WorkerNode.Ended run(String coordinatorHost, int coordinatorPort, String bindHost,
      int port, Function<String, Dataset> dataLoader, Map<String, Object> akka) {
    ActorSystem system = ActorSystem.create("dtrain",
        config(coordinatorHost, coordinatorPort, bindHost, port, WorkerNode.WORKER_ROLE, akka));
    CompletableFuture<WorkerNode.Ended> ended = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicBoolean joined = new java.util.concurrent.atomic.AtomicBoolean();
    system.getWhenTerminated().thenRun(() -> ended.complete(joined.get()
        ? new WorkerNode.Ended(false, "lost the coordinator at " + coordinatorHost + ":"
            + coordinatorPort + " (it became unreachable and this node left its cluster)", true)
        : new WorkerNode.Ended(false, "could not stay in the cluster of the coordinator at "
            + coordinatorHost + ":" + coordinatorPort + " (not reachable, or it refused this node)")));
    try {
      String id = "w-" + bindHost + ":" + Cluster.get(system).selfAddress().getPort().get();
      system.actorOf(WorkerNode.props(id, ended, dataLoader, joined), "node");
      return ended.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new WorkerNode.Ended(false, "interrupted");
    } catch (ExecutionException e) {
      return new WorkerNode.Ended(false, String.valueOf(e.getCause()));
    } finally {
      shutdown(system);
    }
  }

  /** Leaves the cluster gracefully; gives up waiting after 15 s. */
  public static void shutdown(ActorSystem system) {
    try {
      CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
          .toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      system.terminate();
    }
  }

  /**
   * The cluster settings of a node: dtrain-cluster.conf with this node's address, its role and the
   * coordinator as the seed node, and one shard thread per core (a worker process is alone on its
   * host).
   */
  public static Config config(String seedHost, int seedPort, String bindHost, int port, String role,
      Map<String, Object> more) {
    int cores = Runtime.getRuntime().availableProcessors();
    return ConfigFactory.parseMap(more)
        .withFallback(ConfigFactory.parseMap(Map.of(
            "akka.remote.artery.canonical.hostname", bindHost,
            "akka.remote.artery.canonical.port", port,
            "akka.cluster.roles", List.of(role),
            "akka.cluster.seed-nodes", List.of("akka://dtrain@" + seedHost + ":" + seedPort),
            "dtrain.worker.shard-threads", cores)))
        .withFallback(ConfigFactory.parseResources("dtrain-cluster.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }
}
