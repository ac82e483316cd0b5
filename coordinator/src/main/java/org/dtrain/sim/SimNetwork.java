package org.dtrain.sim;

import akka.actor.ActorRef;

/**
 * The simulated network of one cluster in one JVM: one {@link NetworkModel} for every host (the
 * coordinator is {@link #COORDINATOR}, worker i is "w" + i) and one thread that delivers each
 * message at the time the model says it arrives. Booking a message and queueing its delivery happen
 * together under one lock, so the messages of one link arrive in the order they were sent (the
 * model's delivery times never decrease along a link). Thread-safe; close it when the cluster ends.
 */
public final class SimNetwork implements AutoCloseable {
  /** The coordinator's host name in the model. */
  public static final String COORDINATOR = "coordinator";

  private final NetworkModel model;
  private final TimedDelivery delivery = new TimedDelivery("dtrain-sim-delivery");

  public SimNetwork(NetworkModel model) {
    this.model = model;
  }

  /** The host name of worker {@code index}: "w0", "w1", ... (the worker ids of a local cluster). */
  public static String worker(int index) {
    return "w" + index;
  }

  /**
   * Sends {@code bytes} from host {@code from} to host {@code to}, handed over now: {@code target}
   * is told {@code message} (from {@code sender}) when the model delivers it.
   *
   * @return the delivery time, on the {@link System#nanoTime} clock
   */
  public synchronized long send(String from, String to, long bytes, ActorRef target, Object message,
      ActorRef sender) {
    long due = model.send(from, to, bytes, System.nanoTime());
    delivery.at(due, target, message, sender);
    return due;
  }

  /** Stops the delivery thread; messages still on the wire are dropped. */
  @Override
  public void close() {
    delivery.close();
  }
}
