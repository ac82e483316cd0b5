package org.dtrain.cli;

import java.nio.file.Path;

/** Where dtrain is installed: -Ddtrain.home (set by the launchers), else the working directory. */
final class Home {
  private Home() {}

  static Path get() {
    String h = System.getProperty("dtrain.home");
    return Path.of(h == null || h.isEmpty() ? "." : h);
  }
}
