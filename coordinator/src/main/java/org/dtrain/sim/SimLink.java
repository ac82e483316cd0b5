package org.dtrain.sim;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.Props;
import akka.actor.Terminated;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.function.Function;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.MessageCodec;

/**
 * The wire between the coordinator and one worker of a simulated cluster in one JVM. The worker is
 * this actor's child and takes it for the coordinator; the coordinator knows this actor as the
 * worker (it is the sender of the worker's registration). Every message, in both directions, is
 * forwarded when the shared {@link SimNetwork} delivers it, sized as on a real wire
 * ({@link MessageCodec#wireSize}; each chunk the sender cut is one message). Neither side knows it
 * is simulated: both only move messages.
 *
 * <p>Failures still reach the coordinator, which watches this actor: when the worker stops, this
 * actor stops too, once the news has crossed the wire after the worker's last messages (an empty
 * message on the worker's uplink), so the coordinator sees them before the worker's death.
 *
 * <p>Links run on {@link #DISPATCHER}, one thread: the coordinator's messages to all workers are
 * booked on its uplink in the order it sent them.
 */
public final class SimLink extends AbstractActor {
  /** The dispatcher of the links: define it with {@link #DISPATCHER_CONFIG}. */
  public static final String DISPATCHER = "dtrain.sim-dispatcher";

  /** One thread for every link; a link forwards all it has before another runs. */
  public static final Config DISPATCHER_CONFIG = ConfigFactory.parseString("""
      dtrain.sim-dispatcher {
        type = Dispatcher
        executor = "thread-pool-executor"
        thread-pool-executor.fixed-pool-size = 1
        throughput = 1000
      }
      """);

  /** The worker's death has crossed the wire: stop. */
  private enum WorkerGone implements NoSerializationVerificationNeeded { INSTANCE }

  private final SimNetwork net;
  private final ActorRef coordinator;
  private final String host;
  private final Function<ActorRef, Props> workerProps;
  private ActorRef worker;

  private SimLink(SimNetwork net, ActorRef coordinator, String host,
      Function<ActorRef, Props> workerProps) {
    this.net = net;
    this.coordinator = coordinator;
    this.host = host;
    this.workerProps = workerProps;
  }

  /**
   * @param host the worker's host name in the network model ({@link SimNetwork#worker})
   * @param workerProps the worker, given the coordinator it should talk to (this link)
   */
  public static Props props(SimNetwork net, ActorRef coordinator, String host,
      Function<ActorRef, Props> workerProps) {
    return Props.create(SimLink.class, () -> new SimLink(net, coordinator, host, workerProps))
        .withDispatcher(DISPATCHER);
  }

  @Override
  public void preStart() {
    worker = getContext().actorOf(workerProps.apply(self()), "worker");
    getContext().watch(worker);
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(Message.class, m -> {
          long bytes = MessageCodec.wireSize(m);
          if (sender().equals(worker)) {
            net.send(host, SimNetwork.COORDINATOR, bytes, coordinator, m, self());
          } else {
            net.send(SimNetwork.COORDINATOR, host, bytes, worker, m, self());
          }
        })
        .match(Terminated.class, t -> t.actor().equals(worker),
            t -> net.send(host, SimNetwork.COORDINATOR, 0, self(), WorkerGone.INSTANCE, self()))
        .matchEquals(WorkerGone.INSTANCE, g -> getContext().stop(self()))
        .build();
  }
}
