package org.dtrain.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for the tests: every line is a
 * HELP, a TYPE, or a sample {@code name{label="value",...} number}; a TYPE comes before its samples
 * and only once; histograms have cumulative buckets ending in +Inf equal to _count.
 */
final class PrometheusFormat {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? "
          + "(NaN|[+-]Inf|[-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");

  /** Sample values by {@code name} or {@code name{labels}} as written. */
  final Map<String, Double> samples = new LinkedHashMap<>();
  final Map<String, String> types = new HashMap<>();

  static PrometheusFormat parse(String text) {
    PrometheusFormat p = new PrometheusFormat();
    assertTrue(text.endsWith("\n"), "the text ends with a newline");
    int n = 0;
    for (String line : text.split("\n")) {
      n++;
      String where = "line " + n + ": " + line;
      if (line.startsWith("# HELP ")) {
        String[] parts = line.split(" ", 4);
        assertTrue(parts.length == 4 && NAME.matcher(parts[2]).matches(), where);
      } else if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        assertEquals(4, parts.length, where);
        assertTrue(NAME.matcher(parts[2]).matches(), where);
        assertTrue(parts[3].matches("counter|gauge|histogram|summary|untyped"), where);
        assertTrue(p.types.put(parts[2], parts[3]) == null, "one TYPE per metric: " + where);
      } else {
        Matcher m = SAMPLE.matcher(line);
        assertTrue(m.matches(), "a sample line: " + where);
        String family = m.group(1).replaceAll("_(bucket|sum|count)$", "");
        assertTrue(p.types.containsKey(m.group(1)) || p.types.containsKey(family),
            "a TYPE before the samples: " + where);
        String key = m.group(2) == null ? m.group(1) : m.group(1) + m.group(2);
        p.samples.put(key, value(m.group(4)));
      }
    }
    for (Map.Entry<String, String> t : p.types.entrySet()) {
      if (t.getValue().equals("histogram")) p.checkHistogram(t.getKey());
    }
    return p;
  }

  private void checkHistogram(String name) {
    double last = 0;
    boolean inf = false;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      if (!e.getKey().startsWith(name + "_bucket{")) continue;
      assertTrue(e.getValue() >= last, "cumulative buckets: " + e.getKey());
      last = e.getValue();
      inf = e.getKey().contains("le=\"+Inf\"");
    }
    assertTrue(inf, name + " ends with le=\"+Inf\"");
    assertEquals(last, samples.get(name + "_count"), name + "_count equals the +Inf bucket");
    assertTrue(samples.containsKey(name + "_sum"), name + "_sum");
  }

  double get(String key) {
    Double v = samples.get(key);
    assertTrue(v != null, "no sample " + key + " in " + samples.keySet());
    return v;
  }

  private static double value(String s) {
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }
}
