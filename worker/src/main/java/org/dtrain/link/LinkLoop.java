package org.dtrain.link;

import akka.actor.AbstractExtensionId;
import akka.actor.ActorSystem;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;
import akka.actor.ExtensionIdProvider;
import akka.dispatch.Dispatcher;
import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.MessageDispatcher;
import akka.dispatch.MessageDispatcherConfigurator;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import scala.concurrent.duration.Duration;
import scala.concurrent.duration.FiniteDuration;

/**
 * A node's data-link threads, one per actor system: the Netty event loops that carry its data links,
 * and the dispatcher {@link #dispatcher()} that runs an actor on the first of them. The actor that
 * owns the links (the worker actor of a worker process, the coordinator actor of a multi-node job)
 * runs there, so a tensor goes from the socket to the actor, and from the actor into the socket,
 * in one thread: no hand-off between an I/O thread and an actor thread, each of which costs a
 * wake-up (0.1-1 ms on a busy 2-core host, where a woken thread also waits for a core). Measured
 * against separate threads: docs/PERFORMANCE.md.
 *
 * <p>{@code dtrain.link-loop.threads} event loops (default 1), of {@code dtrain.link-loop.transport}
 * ({@link LinkTransport}: epoll where it loads, else NIO). A worker's link is on the actor's
 * loop; a coordinator's links are spread over all of them in turn, and one on another loop than the
 * actor's hands its messages over again. More threads suit a coordinator with many workers on a
 * host with cores to spare.
 *
 * <p>The actor's long work (a worker's compute) runs on the loop, so its links are not read
 * meanwhile; nothing else needs them then. Code on the loop must not block on the loop's own
 * futures (Netty refuses that). The loops stop when the actor system terminates.
 */
public final class LinkLoop implements Extension {
  /** Registered when the extension starts, so callers take it from {@link #dispatcher()}. */
  private static final String DISPATCHER = "dtrain.link-loop.dispatcher";

  private static final Id ID = new Id();

  private final EventLoopGroup group;
  private final LinkTransport transport;
  private final EventLoop actorLoop;

  private LinkLoop(ExtendedActorSystem system) {
    Config c = system.settings().config().getConfig("dtrain.link-loop");
    int threads = c.getInt("threads");
    if (threads < 1) {
      throw new IllegalArgumentException("dtrain.link-loop.threads must be at least 1, found "
          + threads);
    }
    transport = LinkTransport.of(c.getString("transport"));
    group = transport.group(threads, new DefaultThreadFactory("dtrain-link", true));
    actorLoop = group.next(); // the first: next() takes the loops in turn
    // a whole dispatcher section (Akka reads its mailbox settings from it): the default one's
    Config section = ConfigFactory.parseMap(Map.of("id", DISPATCHER,
            "throughput", c.getInt("throughput")))
        .withFallback(system.settings().config().getConfig("akka.actor.default-dispatcher"));
    system.dispatchers().registerConfigurator(DISPATCHER, new Configurator(section,
        system.dispatchers().prerequisites(), actorLoop));
    system.registerOnTermination(() -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS));
  }

  /** The system's link loops, started on first use. */
  public static LinkLoop get(ActorSystem system) {
    return ID.get(system);
  }

  /** All the loops: a server's listening socket and accepted links are spread over them. */
  public EventLoopGroup group() {
    return group;
  }

  /** The transport of {@link #group()}: epoll or NIO. */
  public LinkTransport transport() {
    return transport;
  }

  /** The loop the dispatcher's actors run on: a worker's one link belongs there. */
  public EventLoop actorLoop() {
    return actorLoop;
  }

  /** The id of the dispatcher that runs actors on {@link #actorLoop()}, for {@code Props.withDispatcher}. */
  public String dispatcher() {
    return DISPATCHER;
  }

  private static final class Id extends AbstractExtensionId<LinkLoop>
      implements ExtensionIdProvider {
    @Override
    public LinkLoop createExtension(ExtendedActorSystem system) {
      return new LinkLoop(system);
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }

  /** An Akka dispatcher whose every task runs on one event loop. */
  private static final class Configurator extends MessageDispatcherConfigurator {
    private final Dispatcher dispatcher;

    Configurator(Config config, DispatcherPrerequisites prerequisites, EventLoop loop) {
      super(config, prerequisites);
      this.dispatcher = new Dispatcher(this, DISPATCHER, config.getInt("throughput"), Duration.Zero(),
          (id, threads) -> () -> new OnLoop(loop), FiniteDuration.create(1, TimeUnit.SECONDS));
    }

    @Override
    public MessageDispatcher dispatcher() {
      return dispatcher;
    }
  }

  /**
   * The executor Akka sees: runs tasks on the loop. Akka shuts a dispatcher's executor down when it
   * has no actors left; the loop is not its to stop (the links may still use it), so that is a no-op.
   */
  private static final class OnLoop extends AbstractExecutorService {
    private final EventLoop loop;

    OnLoop(EventLoop loop) {
      this.loop = loop;
    }

    @Override
    public void execute(Runnable task) {
      loop.execute(task);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return loop.isShuttingDown();
    }

    @Override
    public boolean isTerminated() {
      return loop.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true; // its shutdown stops nothing, so there is nothing to wait for
    }
  }
}
