package org.dtrain.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Network bandwidths on the command line, in bits per second: a positive number with a unit, bits
 * per second as bit, Kbit, Mbit, Gbit, Tbit (case-insensitive, "/s" or "ps" may follow: 10Gbit,
 * 10gbit/s, 10Gbps), or bytes per second as B/s, KB/s, MB/s, GB/s, TB/s (125MB/s is 1Gbit).
 * Prefixes are decimal, as network rates are.
 */
final class Bandwidths {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z/]+)");
  private static final Map<String, Double> PREFIX = Map.of("", 1.0, "k", 1e3, "m", 1e6, "g", 1e9,
      "t", 1e12);
  private static final Pattern BITS = Pattern.compile("([kmgt]?)(bit|bit/s|bps)");
  private static final Pattern BYTES = Pattern.compile("([kKMGT]?)B/s");

  private Bandwidths() {}

  /** @throws IllegalArgumentException naming the flag, what was expected and what was found */
  static double parseBitsPerSecond(String flag, String text) {
    Matcher m = FORM.matcher(text.trim());
    Double perUnit = m.matches() ? unit(m.group(2)) : null;
    if (perUnit == null) {
      throw new IllegalArgumentException(flag + ": expected a bandwidth like 10Gbit, 100Mbit or"
          + " 125MB/s (bit, Kbit, Mbit, Gbit, Tbit per second, or B/s, KB/s, MB/s, GB/s), found '"
          + text + "'");
    }
    double bits = Double.parseDouble(m.group(1)) * perUnit;
    if (!(bits > 0) || Double.isInfinite(bits)) {
      throw new IllegalArgumentException(flag + ": expected a positive bandwidth like 10Gbit, found '"
          + text + "'");
    }
    return bits;
  }

  /** Bits per second in one of {@code u}; null for a unit not known. */
  private static Double unit(String u) {
    Matcher bytes = BYTES.matcher(u);
    if (bytes.matches()) return 8 * PREFIX.get(bytes.group(1).toLowerCase(java.util.Locale.ROOT));
    Matcher bits = BITS.matcher(u.toLowerCase(java.util.Locale.ROOT));
    return bits.matches() ? PREFIX.get(bits.group(1)) : null;
  }
}
