package org.dtrain.protocol;

/** The wire protocol's version. Bump it whenever a message of {@code cluster.proto} changes meaning. */
public final class Protocol {
  public static final int VERSION = 1;

  private Protocol() {}
}
