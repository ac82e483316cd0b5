package org.dtrain.coordinator;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.Props;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dtrain.data.Dataset;
import org.dtrain.data.ShardPlan;
import org.dtrain.sim.SimLink;
import org.dtrain.sim.SimNetwork;
import org.dtrain.sim.Simulation;
import org.dtrain.worker.WorkerActor;

/**
 * A whole cluster in one JVM: one ActorSystem with the coordinator actor and K worker actors, which
 * exchange the same messages as on a real cluster. The weights depend on the shard count only, never
 * on K.
 */
public final class LocalCluster {
  private LocalCluster() {}

  /**
   * How a local cluster runs, beside the job itself: none of these changes a bit of the weights.
   *
   * @param overrides Akka settings over dtrain's (tests pass {@code akka.actor.serialize-messages = on})
   * @param status shows the job while it runs (the HTTP endpoint reads it)
   * @param stepTimeout re-run a late worker's shards on a worker that is done after this long
   *     ({@code --step-timeout}); null: never
   * @param simulation a simulated network between the coordinator and the workers, and slow
   *     workers ({@code --sim-*}); {@link Simulation#NONE}: the cluster as it is
   * @param reduction star, or a tree of workers ({@code --reduction}, {@code --fan-in})
   */
  public record Options(Config overrides, JobStatus status, Duration stepTimeout,
      Simulation simulation, Reduction reduction) {
    public Options {
      Objects.requireNonNull(overrides, "overrides");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(simulation, "simulation");
      Objects.requireNonNull(reduction, "reduction");
    }

    /** No overrides, a fresh status, no step timeout, nothing simulated, star reduction. */
    public static Options defaults() {
      return new Options(ConfigFactory.empty(), new JobStatus(), null, Simulation.NONE,
          Reduction.star());
    }

    public Options withOverrides(Config c) {
      return new Options(c, status, stepTimeout, simulation, reduction);
    }

    public Options withStatus(JobStatus s) {
      return new Options(overrides, s, stepTimeout, simulation, reduction);
    }

    public Options withStepTimeout(Duration d) {
      return new Options(overrides, status, d, simulation, reduction);
    }

    public Options withSimulation(Simulation s) {
      return new Options(overrides, status, stepTimeout, s, reduction);
    }

    public Options withReduction(Reduction r) {
      return new Options(overrides, status, stepTimeout, simulation, r);
    }
  }

  /** Trains with {@code workers} worker actors; blocks until the job ends. */
  public static TrainingLoop.Result train(TrainingLoop loop, Dataset train, ShardPlan plan,
      int workers) {
    return train(loop, train, plan, workers, Options.defaults());
  }

  /**
   * Trains with {@code workers} worker actors; blocks until the job ends.
   *
   * @throws JobFailedException when a worker fails or the training diverges
   */
  public static TrainingLoop.Result train(TrainingLoop loop, Dataset train, ShardPlan plan,
      int workers, Options options) {
    Simulation sim = options.simulation();
    for (int w : sim.slowWorkers().keySet()) {
      if (w >= workers) {
        throw new IllegalArgumentException("slow worker " + w + ": there are " + workers + " workers");
      }
    }
    String jobId = UUID.randomUUID().toString();
    JobStatus status = options.status();
    status.begin(jobId, loop.plan().totalSteps(), loop.plan().epochs());
    ClusterJob job = new ClusterJob(jobId, loop, train, plan, workers, 1, null, null,
        options.reduction());
    Config overrides = sim.simulatesNetwork()
        ? options.overrides().withFallback(SimLink.DISPATCHER_CONFIG) : options.overrides();
    ActorSystem system = ActorSystem.create("dtrain", config(workers, overrides));
    SimNetwork net = sim.simulatesNetwork() ? new SimNetwork(sim.network()) : null;
    try {
      CompletableFuture<TrainingLoop.Result> done = new CompletableFuture<>();
      ActorRef coordinator = system.actorOf(CoordinatorActor.props(job, done, null,
          options.stepTimeout(), status).withDispatcher("dtrain.coordinator-dispatcher"),
          "coordinator");
      for (int w = 0; w < workers; w++) startWorker(system, coordinator, w, sim, net);
      return await(done);
    } finally {
      if (net != null) net.close();
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // the job's outcome is decided; a slow shutdown changes nothing
      }
    }
  }

  /**
   * Worker {@code w}, slowed down as {@code sim} says; behind a {@link SimLink} on {@code net}, or
   * talking to the coordinator directly when no network is simulated ({@code net} null).
   */
  private static void startWorker(ActorSystem system, ActorRef coordinator, int w, Simulation sim,
      SimNetwork net) {
    String id = SimNetwork.worker(w);
    double slowdown = sim.slowdown(w);
    java.util.function.Function<ActorRef, Props> worker = c -> WorkerActor.props(c, id, slowdown)
        .withDispatcher("dtrain.worker-dispatcher");
    if (net == null) {
      system.actorOf(worker.apply(coordinator), "worker-" + w);
    } else {
      system.actorOf(SimLink.props(net, coordinator, id, worker), "sim-link-" + w);
    }
  }

  /** The job's result, or its failure rethrown. */
  static TrainingLoop.Result await(CompletableFuture<TrainingLoop.Result> done) {
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobFailedException("interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new JobFailedException(String.valueOf(e.getCause()));
    }
  }

  /**
   * dtrain's Akka settings with a pool of min(workers, cores) actor threads, and max(1, cores /
   * workers) shard threads per worker: never more compute threads than cores.
   */
  static Config config(int workers, Config overrides) {
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = Math.max(1, Math.min(workers, cores));
    return overrides
        .withFallback(ConfigFactory.parseMap(Map.of(
            "dtrain.worker-dispatcher.spin-then-park.pool-size", threads,
            "dtrain.worker.shard-threads", Math.max(1, cores / workers))))
        .withFallback(ConfigFactory.parseResources("dtrain-akka.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }
}
