package dev.tessera.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the text form of a condition, e.g. {@code year >= 2024 and album in ("a", "b")}. Hand
 * written because the grammar is small and its errors must name the position and what was expected
 * there:
 *
 * <pre>
 * or        := and ("or" and)*
 * and       := unary ("and" unary)*
 * unary     := "not" unary | "(" or ")" | predicate
 * predicate := key op value | key ["not"] "in" "(" value ("," value)* ")"
 *            | "exists" "(" key ")" | "missing" "(" key ")"
 * op        := "=" | "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;="
 * value     := "string" | 'string' | integer | decimal | true | false
 * key       := name | `any key`
 * </pre>
 *
 * Keywords are case-insensitive. An integer reads as a long, a number with a point or an exponent
 * as a double.
 */
final class FilterParser {
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "not", "in", "exists", "missing", "true", "false");

  private final String text;
  private int pos;

  private FilterParser(String text) {
    this.text = text;
  }

  static boolean isKeyword(String s) {
    return KEYWORDS.contains(s.toLowerCase(Locale.ROOT));
  }

  static Condition parse(String text) {
    if (text == null || text.isBlank()) {
      throw new FilterSyntaxException(
          "The filter is empty: write a condition, e.g. year >= 2024.",
          text == null ? "" : text,
          0);
    }
    FilterParser p = new FilterParser(text);
    Condition c = p.or();
    p.skipSpace();
    if (p.pos < text.length()) throw p.error("'and', 'or' or the end of the filter");
    return c;
  }

  private Condition or() {
    List<Condition> parts = new ArrayList<>();
    parts.add(and());
    while (keyword("or")) parts.add(and());
    return parts.size() == 1 ? parts.get(0) : new Condition.Or(parts);
  }

  private Condition and() {
    List<Condition> parts = new ArrayList<>();
    parts.add(unary());
    while (keyword("and")) parts.add(unary());
    return parts.size() == 1 ? parts.get(0) : new Condition.And(parts);
  }

  private Condition unary() {
    if (keyword("not")) return new Condition.Not(unary());
    if (symbol("(")) {
      Condition c = or();
      expect(")", "')'");
      return c;
    }
    int start = mark();
    if (keyword("exists") || keyword("missing")) {
      boolean exists = text.regionMatches(true, start, "exists", 0, 6);
      if (symbol("(")) {
        String key = key();
        expect(")", "')'");
        return wrap(() -> new Condition.Exists(key, exists), start);
      }
      pos = start; // a key that happens to be called 'exists'
    }
    return predicate();
  }

  private Condition predicate() {
    int start = mark();
    String key = key();
    int opAt = mark();
    if (keyword("not")) {
      if (!keyword("in")) throw error("'in' after 'not'");
      return in(key, true, start);
    }
    if (keyword("in")) return in(key, false, start);
    Condition.Op op = op();
    if (op == null) {
      pos = opAt;
      throw error("an operator (=, !=, <, <=, >, >=, in, not in) after the key '" + key + "'");
    }
    Object value = value();
    return wrap(() -> new Condition.Compare(key, op, value), start);
  }

  private Condition in(String key, boolean negated, int start) {
    expect("(", "'(' after 'in'");
    List<Object> values = new ArrayList<>();
    values.add(value());
    while (symbol(",")) values.add(value());
    expect(")", "',' or ')'");
    return wrap(() -> new Condition.In(key, values, negated), start);
  }

  private Condition.Op op() {
    skipSpace();
    for (String s : new String[] {"==", "!=", "<=", ">=", "=", "<", ">"}) {
      if (text.startsWith(s, pos)) {
        pos += s.length();
        return switch (s) {
          case "=", "==" -> Condition.Op.EQ;
          case "!=" -> Condition.Op.NE;
          case "<" -> Condition.Op.LT;
          case "<=" -> Condition.Op.LTE;
          case ">" -> Condition.Op.GT;
          default -> Condition.Op.GTE;
        };
      }
    }
    return null;
  }

  private String key() {
    skipSpace();
    if (pos < text.length() && text.charAt(pos) == '`') return quoted('`');
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-') pos++;
      else break;
    }
    String name = text.substring(start, pos);
    if (name.isEmpty() || !FilterText.isPlainName(name) || isKeyword(name)) {
      pos = start;
      throw error("a metadata key (a name, or any text in `back quotes`)");
    }
    return name;
  }

  private Object value() {
    skipSpace();
    if (pos >= text.length()) throw error("a value (a \"string\", a number, true or false)");
    char c = text.charAt(pos);
    if (c == '"' || c == '\'') return quoted(c);
    int start = pos;
    if (c == '-' || c == '+' || Character.isDigit(c) || c == '.') {
      pos++;
      while (pos < text.length()) {
        char d = text.charAt(pos);
        boolean exp = (d == '+' || d == '-') && Character.toLowerCase(text.charAt(pos - 1)) == 'e';
        if (Character.isDigit(d) || d == '.' || d == 'e' || d == 'E' || exp) pos++;
        else break;
      }
      String num = text.substring(start, pos);
      try {
        if (num.contains(".") || num.contains("e") || num.contains("E")) {
          double d = Double.parseDouble(num);
          if (!Double.isFinite(d)) throw new NumberFormatException();
          return d;
        }
        return Long.parseLong(num.startsWith("+") ? num.substring(1) : num);
      } catch (NumberFormatException e) {
        pos = start;
        throw error("a number that fits a long or a finite double, not '" + num + "'");
      }
    }
    if (keyword("true")) return Boolean.TRUE;
    if (keyword("false")) return Boolean.FALSE;
    throw error("a value (a \"string\", a number, true or false)");
  }

  private String quoted(char quote) {
    int start = pos;
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) return sb.toString();
      if (c == '\\') {
        if (pos >= text.length()) break;
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > text.length()) {
              pos -= 2;
              throw error("four hex digits after \\u");
            }
            try {
              sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              pos -= 2;
              throw error("four hex digits after \\u");
            }
            pos += 4;
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    pos = start;
    throw error("a closing " + quote + " for the text that starts here");
  }

  private boolean keyword(String word) {
    skipSpace();
    int end = pos + word.length();
    if (!text.regionMatches(true, pos, word, 0, word.length())) return false;
    if (end < text.length()) {
      char c = text.charAt(end);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-') return false;
    }
    pos = end;
    return true;
  }

  private boolean symbol(String s) {
    skipSpace();
    if (text.startsWith(s, pos)) {
      pos += s.length();
      return true;
    }
    return false;
  }

  private void expect(String s, String what) {
    if (!symbol(s)) throw error(what);
  }

  private int mark() {
    skipSpace();
    return pos;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
  }

  private Condition wrap(java.util.function.Supplier<Condition> make, int at) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw new FilterSyntaxException(e.getMessage(), text, at);
    }
  }

  private FilterSyntaxException error(String expected) {
    String found =
        pos >= text.length()
            ? "the end"
            : "'" + text.substring(pos, Math.min(text.length(), pos + 12)) + "'";
    return new FilterSyntaxException(
        "Expected " + expected + " but found " + found + ".", text, pos);
  }
}
