package org.dtrain;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The dtrain version, from the build. */
public final class Version {
  public static final String DTRAIN = load();

  private Version() {}

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException | NullPointerException e) {
      return "unknown";
    }
  }
}
