package org.dtrain.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Hostile clients for the tests: random bytes, truncated and oversized requests, silent sockets. */
final class Garbage {
  private Garbage() {}

  /**
   * Opens {@code count} connections to 127.0.0.1:{@code port}, one after another, each sending one
   * kind of garbage; every other one then ends its output and reads what comes back (at most 2 s),
   * the others hang up at once, mid-request.
   */
  static void send(int port, int count, Random rnd) throws IOException {
    for (int i = 0; i < count; i++) {
      byte[] bytes = switch (i % 5) {
        case 0 -> randomBytes(rnd, 1 + rnd.nextInt(2000));
        case 1 -> "GET /api/sta".getBytes(StandardCharsets.US_ASCII); // truncated
        case 2 -> ("GET /api/status HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII); // a length that lies
        case 3 -> new byte[0]; // connect and go
        default -> ("\u0000\u00ff PUT \r\n\r\n" + "x".repeat(rnd.nextInt(20_000)))
            .getBytes(StandardCharsets.ISO_8859_1);
      };
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(2000);
        s.setSoLinger(true, 0);
        OutputStream out = s.getOutputStream();
        try {
          out.write(bytes);
          out.flush();
          if (i % 2 == 0) {
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            in.read(new byte[4096]);
          }
        } catch (IOException e) {
          // the server may close on garbage before reading it all, or time out on a half request
        }
      }
    }
  }

  private static byte[] randomBytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }
}
