package dev.tollgate.report.focus;

import java.util.Map;
import java.util.SortedMap;

/** The one JSON shape FOCUS key-value columns take here: a flat object of strings, ASCII only. */
final class Json {

  private Json() {}

  /** {@code {"a":"x","b":"y"}}, characters outside printable ASCII escaped as {@code \\uXXXX}. */
  static String object(SortedMap<String, String> values) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (sb.length() > 1) sb.append(',');
      string(e.getKey(), sb);
      sb.append(':');
      string(e.getValue(), sb);
    }
    return sb.append('}').toString();
  }

  /** {@code s} with every character outside printable ASCII written as {@code \\uXXXX}. */
  static String ascii(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean plain = c >= 0x20 && c <= 0x7e;
      if (!plain && sb == null) sb = new StringBuilder(s.substring(0, i));
      if (sb != null) {
        if (plain) sb.append(c);
        else sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb == null ? s : sb.toString();
  }

  private static void string(String s, StringBuilder sb) {
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
          if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }
}
