package dev.tessera.api;

import java.util.List;

/** The canonical text form of conditions, which {@link FilterParser} reads back. */
final class FilterText {
  private FilterText() {}

  /** A key as written: bare when it is a plain name, else in back quotes. */
  static String key(String key) {
    if (isPlainName(key) && !FilterParser.isKeyword(key)) return key;
    return "`" + key.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  static boolean isPlainName(String s) {
    if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-')) return false;
    }
    return true;
  }

  /** A value as written: strings quoted and escaped, numbers so they read back to the same type. */
  static String value(Object v) {
    return switch (v) {
      case String s -> quote(s);
      case Long l -> Long.toString(l);
      case Double d -> {
        String t = Double.toString(d);
        yield t.contains(".") || t.contains("E") ? t : t + ".0";
      }
      case Boolean b -> b.toString();
      default -> throw new IllegalArgumentException("Not a metadata value: " + v);
    };
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Joins parts with {@code op}, putting parentheses around parts of type {@code parenthesize}. */
  static String join(List<Condition> parts, String op, Class<?> parenthesize) {
    StringBuilder sb = new StringBuilder();
    for (Condition c : parts) {
      if (!sb.isEmpty()) sb.append(op);
      boolean paren = parenthesize != null && parenthesize.isInstance(c);
      sb.append(paren ? "(" : "").append(c).append(paren ? ")" : "");
    }
    return sb.toString();
  }
}
