package org.dtrain.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Short durations on the command line, in nanoseconds: a number with a unit ns, us, ms or s
 * ({@code 200us}, {@code 1.5ms}), or a bare 0. At most a minute (a simulated latency, not a wait).
 */
final class ShortDurations {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s)");
  private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "ms", 1_000_000L,
      "s", 1_000_000_000L);
  private static final long MAX_NANOS = 60_000_000_000L;

  private ShortDurations() {}

  /** @throws IllegalArgumentException naming the flag, what was expected and what was found */
  static long parseNanos(String flag, String text) {
    String t = text.trim();
    if (t.equals("0")) return 0;
    Matcher m = FORM.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(flag + ": expected a duration like 200us, 1.5ms or 0"
          + " (units ns, us, ms, s), found '" + text + "'");
    }
    BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2))))
        .setScale(0, RoundingMode.HALF_UP);
    if (nanos.compareTo(BigDecimal.valueOf(MAX_NANOS)) > 0) {
      throw new IllegalArgumentException(flag + ": expected at most 60s, found '" + text + "'");
    }
    return nanos.longValueExact();
  }
}
