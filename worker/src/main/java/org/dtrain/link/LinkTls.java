package org.dtrain.link;

import akka.actor.ActorSystem;
import akka.remote.artery.tcp.SSLEngineProvider;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;
import org.dtrain.worker.LoggingSslEngineProvider;

/**
 * TLS for the data links, from the same settings as Artery's: when the node runs {@code tls-tcp}
 * (dtrain's {@code --tls}), a link uses the same key and trust stores, protocol, cipher suites and
 * mutual authentication, so a node the cluster's CA did not sign can open neither.
 */
public final class LinkTls {
  private final SSLEngineProvider engines;

  private LinkTls(SSLEngineProvider engines) {
    this.engines = engines;
  }

  /** The node's TLS settings; null when its Artery transport is plain TCP. */
  public static LinkTls of(ActorSystem system) {
    String transport = system.settings().config().getString("akka.remote.artery.transport");
    return "tls-tcp".equals(transport) ? new LinkTls(new LoggingSslEngineProvider(system)) : null;
  }

  /** The handler for the connecting side (a worker). */
  public SslHandler client(String host, int port) {
    SSLEngine e = engines.createClientSSLEngine(host, port);
    return new SslHandler(e);
  }

  /** The handler for the accepting side (the coordinator); asks the peer for its certificate. */
  public SslHandler server(String host, int port) {
    SSLEngine e = engines.createServerSSLEngine(host, port);
    return new SslHandler(e);
  }
}
