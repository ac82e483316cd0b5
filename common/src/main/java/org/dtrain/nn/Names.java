package org.dtrain.nn;

import java.util.Locale;

/** Parses the lower-case names users write for enum settings ("adam", "cosine"). */
final class Names {
  private Names() {}

  /** The constant whose lower-case name is {@code text}; else a message naming what and the allowed values. */
  static <E extends Enum<E>> E parse(Class<E> type, String text, String what, String allowed) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(t)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown " + what + " '" + text + "': expected one of " + allowed);
  }
}
