package org.dtrain.http;

import java.util.Locale;

/**
 * A minimal JSON writer for the status API: objects, arrays, strings, numbers (NaN and infinities
 * become null, as JSON has no such numbers). Commas are placed by the writer.
 */
final class Json {
  private final StringBuilder sb = new StringBuilder(256);
  private boolean first = true; // no value yet in the current object or array

  Json beginObject() {
    comma();
    sb.append('{');
    first = true;
    return this;
  }

  Json endObject() {
    sb.append('}');
    first = false;
    return this;
  }

  Json beginArray() {
    comma();
    sb.append('[');
    first = true;
    return this;
  }

  Json endArray() {
    sb.append(']');
    first = false;
    return this;
  }

  /** The key of the next value in an object. */
  Json key(String k) {
    comma();
    string(sb, k);
    sb.append(':');
    first = true; // the value follows without a comma
    return this;
  }

  Json value(String s) {
    comma();
    if (s == null) sb.append("null");
    else string(sb, s);
    return this;
  }

  Json value(double v) {
    comma();
    if (!Double.isFinite(v)) {
      sb.append("null");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      sb.append((long) v);
    } else {
      sb.append(String.format(Locale.ROOT, "%.6g", v));
    }
    return this;
  }

  Json value(long v) {
    comma();
    sb.append(v);
    return this;
  }

  Json field(String k, String v) {
    return key(k).value(v);
  }

  Json field(String k, double v) {
    return key(k).value(v);
  }

  Json field(String k, long v) {
    return key(k).value(v);
  }

  private void comma() {
    if (!first) sb.append(',');
    first = false;
  }

  @Override
  public String toString() {
    return sb.toString();
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
