package org.dtrain.cli;

/** HOST:PORT as given on the command line. */
record HostPort(String host, int port) {
  /** @throws IllegalArgumentException naming the flag */
  static HostPort parse(String flag, String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(flag + ": expected HOST:PORT like 10.0.0.5:25520, found '"
          + text + "'");
    }
    return new HostPort(text.substring(0, colon), port(flag, text.substring(colon + 1), false));
  }

  /** @throws IllegalArgumentException naming the flag */
  static int port(String flag, String text, boolean zeroAllowed) {
    try {
      int p = Integer.parseInt(text);
      if (p >= (zeroAllowed ? 0 : 1) && p <= 65535) return p;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + ": expected a port " + (zeroAllowed ? "0" : "1")
        + "-65535, found '" + text + "'");
  }
}
