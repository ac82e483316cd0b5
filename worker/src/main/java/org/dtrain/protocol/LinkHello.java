package org.dtrain.protocol;

/**
 * worker -> coordinator: the first frame on a new data link, naming the worker and presenting the
 * token of its {@link DataLinkOffer}. Never sent over Artery.
 */
public record LinkHello(Header header, String workerId, String token) implements Message {
  @Override
  public String toString() { // never the token: it ends up in logs
    return "LinkHello[" + header + ", " + workerId + "]";
  }
}
