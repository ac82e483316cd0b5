package org.dtrain.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Raw HTTP/1.1 over a socket to 127.0.0.1, for the tests: what a client really sends, bytes and all. */
final class Http {
  /** A response: status code, head, body. */
  record Response(int code, String head, String body) {}

  private Http() {}

  static Response get(int port, String path) throws IOException {
    return send(port, ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
  }

  static Response request(int port, String method, String path) throws IOException {
    return send(port, (method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** Sends {@code bytes}, then reads until the server closes (at most 10 s). */
  static Response send(int port, byte[] bytes) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(bytes);
      out.flush();
      s.shutdownOutput();
      return parse(readAll(s.getInputStream()));
    }
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] b = new byte[8192];
    try {
      for (int n; (n = in.read(b)) > 0; ) buf.write(b, 0, n);
    } catch (SocketTimeoutException e) {
      throw new IOException("the server did not close the connection within 10 s; got "
          + buf.size() + " bytes", e);
    } catch (java.net.SocketException e) {
      // a reset after the answer: the server closed on unread garbage
    }
    return buf.toByteArray();
  }

  static Response parse(byte[] raw) {
    String all = new String(raw, StandardCharsets.UTF_8);
    int split = all.indexOf("\r\n\r\n");
    if (!all.startsWith("HTTP/1.1 ") || split < 0) return new Response(-1, all, "");
    return new Response(Integer.parseInt(all.substring(9, 12)), all.substring(0, split),
        all.substring(split + 4));
  }
}
