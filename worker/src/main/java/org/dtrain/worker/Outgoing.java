package org.dtrain.worker;

import org.dtrain.protocol.Message;

/**
 * A message a worker sends, and to whom: its coordinator, or in tree reduction the parent worker
 * that takes its partials.
 *
 * @param peer null: the coordinator; else the actor address of a peer worker (an Akka serialized
 *     actor path, {@link org.dtrain.protocol.ReductionTarget#parentAddress()})
 */
public record Outgoing(Message message, String peer) {
  public static Outgoing toCoordinator(Message m) {
    return new Outgoing(m, null);
  }

  public boolean toCoordinator() {
    return peer == null;
  }
}
