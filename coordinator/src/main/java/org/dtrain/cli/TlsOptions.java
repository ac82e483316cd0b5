package org.dtrain.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dtrain.worker.LoggingSslEngineProvider;
import picocli.CommandLine.Option;

/**
 * {@code --tls}: Artery over TLS with mutual authentication, from PKCS12 stores (make them with
 * deploy/tls/make-certs.sh). Passwords come from a file or an environment variable, never a flag
 * (flags show up in process listings and shell history).
 */
final class TlsOptions {
  static final String KEYSTORE_PASSWORD_ENV = "DTRAIN_KEYSTORE_PASSWORD";
  static final String TRUSTSTORE_PASSWORD_ENV = "DTRAIN_TRUSTSTORE_PASSWORD";

  @Option(names = "--tls", description = "Encrypt and authenticate cluster traffic (Artery tls-tcp, mutual authentication): only nodes whose certificate the trust store's CA signed can join.")
  boolean tls;
  @Option(names = "--keystore", paramLabel = "P12", description = "This node's PKCS12 key store (its key and CA-signed certificate).")
  Path keystore;
  @Option(names = "--truststore", paramLabel = "P12", description = "PKCS12 trust store with the cluster's CA.")
  Path truststore;
  @Option(names = "--keystore-password-file", paramLabel = "FILE", description = "File with the key store password (else the environment variable " + KEYSTORE_PASSWORD_ENV + ").")
  Path keystorePasswordFile;
  @Option(names = "--truststore-password-file", paramLabel = "FILE", description = "File with the trust store password (else " + TRUSTSTORE_PASSWORD_ENV + ", else the key store password).")
  Path truststorePasswordFile;

  /**
   * The Akka settings for these options; empty without --tls.
   *
   * @throws IllegalArgumentException naming the flag when a store or password is missing
   */
  Map<String, Object> akkaSettings(Map<String, String> env) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!tls) {
      if (keystore != null || truststore != null) {
        throw new IllegalArgumentException("--keystore/--truststore: given without --tls");
      }
      return m;
    }
    Path ks = store("--keystore", keystore);
    Path ts = store("--truststore", truststore);
    String ksPass = password("--keystore-password-file", keystorePasswordFile,
        KEYSTORE_PASSWORD_ENV, env, null);
    String tsPass = password("--truststore-password-file", truststorePasswordFile,
        TRUSTSTORE_PASSWORD_ENV, env, ksPass);
    String p = "akka.remote.artery.ssl.config-ssl-engine.";
    m.put("akka.remote.artery.transport", "tls-tcp");
    m.put("akka.remote.artery.ssl.ssl-engine-provider", LoggingSslEngineProvider.class.getName());
    m.put(p + "key-store", ks.toAbsolutePath().toString());
    m.put(p + "trust-store", ts.toAbsolutePath().toString());
    m.put(p + "key-store-password", ksPass);
    m.put(p + "key-password", ksPass);
    m.put(p + "trust-store-password", tsPass);
    m.put(p + "protocol", "TLSv1.2");
    m.put(p + "enabled-algorithms", List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
    m.put(p + "require-mutual-authentication", "on");
    return m;
  }

  private static Path store(String flag, Path p) {
    if (p == null) {
      throw new IllegalArgumentException(flag + ": expected a PKCS12 file with --tls, found none");
    }
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new IllegalArgumentException(flag + ": expected a readable PKCS12 file, found no file "
          + p);
    }
    return p;
  }

  private static String password(String flag, Path file, String var, Map<String, String> env,
      String fallback) {
    if (file != null) {
      try {
        String s = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
          throw new IllegalArgumentException(flag + ": expected a password in " + file
              + ", found an empty file");
        }
        return s;
      } catch (IOException e) {
        throw new IllegalArgumentException(flag + ": cannot read " + file + " ("
            + e.getClass().getSimpleName() + ")");
      }
    }
    String v = env.get(var);
    if (v != null && !v.isEmpty()) return v;
    if (fallback != null) return fallback;
    throw new IllegalArgumentException(flag + ": expected a password file, or the environment "
        + "variable " + var + ", found neither");
  }
}
