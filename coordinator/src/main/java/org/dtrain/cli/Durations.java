package org.dtrain.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations on the command line: a positive number with a unit, e.g. 500ms, 120s, 5m, 1h. */
final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  /** @throws IllegalArgumentException naming the flag, e.g. "--wait-for-workers: expected ..." */
  static Duration parse(String flag, String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) <= 0) {
      throw new IllegalArgumentException(flag + ": expected a positive duration like 500ms, 120s, "
          + "5m or 1h, found '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
