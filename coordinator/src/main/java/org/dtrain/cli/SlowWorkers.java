package org.dtrain.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --sim-slow-worker I:Fx} values: worker I (0..K-1) computes F times as long (F at least 1,
 * at most {@value #MAX_FACTOR}; the x may be left out), e.g. {@code 1:3x}, {@code 0:1.5x}.
 */
final class SlowWorkers {
  static final double MAX_FACTOR = 1000;
  private static final Pattern FORM = Pattern.compile("(\\d+):(\\d+(?:\\.\\d+)?)x?");

  private SlowWorkers() {}

  /**
   * @param workers K, the number of workers
   * @return worker index to slowdown factor
   * @throws IllegalArgumentException naming the flag, what was expected and what was found
   */
  static Map<Integer, Double> parse(String flag, List<String> values, int workers) {
    Map<Integer, Double> out = new TreeMap<>();
    Map<Integer, String> given = new TreeMap<>();
    for (String v : values) {
      Matcher m = FORM.matcher(v.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException(flag + ": expected WORKER:FACTORx like 1:3x (worker 0 to "
            + (workers - 1) + ", factor at least 1), found '" + v + "'");
      }
      int w = m.group(1).length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(m.group(1));
      double f = Double.parseDouble(m.group(2));
      if (w >= workers) {
        throw new IllegalArgumentException(flag + ": expected a worker index 0 to " + (workers - 1)
            + " (there are " + workers + " workers), found " + m.group(1) + " in '" + v + "'");
      }
      if (f < 1 || f > MAX_FACTOR) {
        throw new IllegalArgumentException(flag + ": expected a factor from 1 (normal speed) to "
            + (int) MAX_FACTOR + ", found " + m.group(2) + " in '" + v + "'");
      }
      if (given.containsKey(w)) {
        throw new IllegalArgumentException(flag + ": expected each worker once, found worker " + w
            + " twice ('" + given.get(w) + "' and '" + v + "')");
      }
      given.put(w, v);
      out.put(w, f);
    }
    return out;
  }
}
