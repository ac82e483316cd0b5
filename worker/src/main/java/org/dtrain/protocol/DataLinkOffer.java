package org.dtrain.protocol;

/**
 * Where a worker opens its data link to the coordinator ({@code host:port}), and the one-time
 * token that proves the connection is that worker's.
 */
public record DataLinkOffer(String host, int port, String token) {
  public DataLinkOffer {
    if (host == null || host.isEmpty()) throw new IllegalArgumentException("host: empty");
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port: expected 1 to 65535, found " + port);
    }
    if (token == null || token.isEmpty()) throw new IllegalArgumentException("token: empty");
  }

  @Override
  public String toString() { // never the token: it ends up in logs
    return host + ":" + port;
  }
}
