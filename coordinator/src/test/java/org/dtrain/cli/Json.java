package org.dtrain.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal strict JSON parser for the tests (no new dependencies). Objects become LinkedHashMaps
 * (key order kept), arrays Lists, strings Strings, true/false Booleans, null null, and numbers
 * {@link Num} holding the exact text, so tests can check how a float was printed.
 */
public final class Json {
  public record Num(String text) {
    public float asFloat() {
      return Float.parseFloat(text);
    }

    public double asDouble() {
      return Double.parseDouble(text);
    }
  }

  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  public static Object parse(String text) {
    Json p = new Json(text);
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.i != p.s.length()) {
      throw p.error("end of input");
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Object o) {
    if (!(o instanceof Map)) throw new AssertionError("expected a JSON object, found " + o);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  public static List<Object> array(Object o) {
    if (!(o instanceof List)) throw new AssertionError("expected a JSON array, found " + o);
    return (List<Object>) o;
  }

  public static Num num(Object o) {
    if (!(o instanceof Num n)) throw new AssertionError("expected a JSON number, found " + o);
    return n;
  }

  private Object value() {
    if (i >= s.length()) throw error("a value");
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return obj();
      case '[':
        return arr();
      case '"':
        return str();
      case 't':
        return word("true", Boolean.TRUE);
      case 'f':
        return word("false", Boolean.FALSE);
      case 'n':
        return word("null", null);
      default:
        return number();
    }
  }

  private Map<String, Object> obj() {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    ws();
    if (peek('}')) {
      i++;
      return m;
    }
    while (true) {
      ws();
      String k = str();
      ws();
      expect(':');
      ws();
      if (m.put(k, value()) != null) throw error("unique key, not '" + k + "' again");
      ws();
      if (peek(',')) {
        i++;
        continue;
      }
      expect('}');
      return m;
    }
  }

  private List<Object> arr() {
    List<Object> l = new ArrayList<>();
    i++;
    ws();
    if (peek(']')) {
      i++;
      return l;
    }
    while (true) {
      ws();
      l.add(value());
      ws();
      if (peek(',')) {
        i++;
        continue;
      }
      expect(']');
      return l;
    }
  }

  private String str() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (i >= s.length()) throw error("closing quote");
      char c = s.charAt(i++);
      if (c == '"') return sb.toString();
      if (c == '\\') {
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw error("escape");
        }
      } else if (c < 0x20) {
        throw error("no control characters in strings");
      } else {
        sb.append(c);
      }
    }
  }

  /** JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
  private Num number() {
    int start = i;
    if (peek('-')) i++;
    if (peek('0')) {
      i++;
    } else {
      digits();
    }
    if (peek('.')) {
      i++;
      digits();
    }
    if (peek('e') || peek('E')) {
      i++;
      if (peek('+') || peek('-')) i++;
      digits();
    }
    return new Num(s.substring(start, i));
  }

  private void digits() {
    int start = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
    if (i == start) throw error("a digit");
  }

  private Object word(String w, Object v) {
    if (!s.startsWith(w, i)) throw error(w);
    i += w.length();
    return v;
  }

  private boolean peek(char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  private void expect(char c) {
    if (!peek(c)) throw error("'" + c + "'");
    i++;
  }

  private void ws() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
  }

  private AssertionError error(String expected) {
    int from = Math.max(0, i - 20);
    return new AssertionError("invalid JSON at offset " + i + ": expected " + expected + " near '"
        + s.substring(from, Math.min(s.length(), i + 20)) + "'");
  }
}
