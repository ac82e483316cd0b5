package org.dtrain.worker;

import akka.actor.ActorSystem;
import akka.remote.artery.tcp.ConfigSSLEngineProvider;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Akka's TLS engine from config, plus one thing Akka does not do: a peer whose certificate the
 * cluster's CA did not sign is logged (with its subject) when it is refused, so an operator sees who
 * knocked. Set as {@code akka.remote.artery.ssl.ssl-engine-provider} by {@code --tls}.
 */
public final class LoggingSslEngineProvider extends ConfigSSLEngineProvider {
  private static final Logger log = LoggerFactory.getLogger(LoggingSslEngineProvider.class);

  public LoggingSslEngineProvider(ActorSystem system) {
    super(system);
  }

  @Override
  public TrustManager[] trustManagers() {
    TrustManager[] tms = super.trustManagers();
    for (int i = 0; i < tms.length; i++) {
      if (tms[i] instanceof X509ExtendedTrustManager x) tms[i] = new Logging(x);
    }
    return tms;
  }

  private static void refused(String who, X509Certificate[] chain, CertificateException e) {
    String subject = chain == null || chain.length == 0 ? "no certificate"
        : chain[0].getSubjectX500Principal().getName();
    log.warn("refused a TLS {} with certificate '{}': not signed by this cluster's CA ({})", who,
        subject, e.getMessage());
  }

  private static final class Logging extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager d;

    Logging(X509ExtendedTrustManager d) {
      this.d = d;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth, SSLEngine engine)
        throws CertificateException {
      try {
        d.checkClientTrusted(chain, auth, engine);
      } catch (CertificateException e) {
        refused("client", chain, e);
        throw e;
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth, SSLEngine engine)
        throws CertificateException {
      try {
        d.checkServerTrusted(chain, auth, engine);
      } catch (CertificateException e) {
        refused("server", chain, e);
        throw e;
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth, Socket s)
        throws CertificateException {
      d.checkClientTrusted(chain, auth, s);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth, Socket s)
        throws CertificateException {
      d.checkServerTrusted(chain, auth, s);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String auth)
        throws CertificateException {
      d.checkClientTrusted(chain, auth);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String auth)
        throws CertificateException {
      d.checkServerTrusted(chain, auth);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return d.getAcceptedIssuers();
    }
  }
}
