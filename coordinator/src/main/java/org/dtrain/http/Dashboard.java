package org.dtrain.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The dashboard: one self-contained page (inline CSS, JavaScript and SVG; nothing fetched but the API). */
final class Dashboard {
  private Dashboard() {}

  static byte[] page() {
    try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
      if (in == null) throw new IllegalStateException("dashboard.html is missing from the jar");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
