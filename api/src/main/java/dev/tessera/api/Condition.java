package dev.tessera.api;

import java.util.List;
import java.util.Objects;

/**
 * A condition on a record's {@link Metadata}: comparisons, sets, presence, and / or / not. Build
 * them with {@link Filter#where(String)}, or parse the text form with {@link Filter#parse(String)};
 * {@code toString()} gives that text form back.
 *
 * <p>The semantics every store must implement (the conformance kit checks them):
 *
 * <ul>
 *   <li>Values compare typed. A numeric bound (long or double) matches long and double values,
 *       compared exactly as numbers ({@code 2024 = 2024.0}, {@code -0.0 = 0.0}); a string bound
 *       matches strings, compared by Unicode code point (the order of their UTF-8 bytes), case and
 *       whitespace significant; a boolean matches booleans. A value of another type never satisfies
 *       a comparison.
 *   <li>{@code =}, {@code <}, {@code <=}, {@code >}, {@code >=} and {@code in} are positive: a
 *       record without the key, or whose value has another type, does not match. {@code !=} and
 *       {@code not in} are their negations, so such a record does match them; so does {@code not
 *       (…)}.
 *   <li>Ranges on booleans are refused when the condition is built.
 * </ul>
 */
public sealed interface Condition
    permits Condition.Compare,
        Condition.In,
        Condition.Exists,
        Condition.And,
        Condition.Or,
        Condition.Not {

  /** Whether {@code metadata} satisfies this condition. */
  boolean matches(Metadata metadata);

  /** The comparison operators. */
  enum Op {
    /** Equal. */
    EQ("="),
    /** Not equal (also true when the key is missing or holds another type). */
    NE("!="),
    /** Less than. */
    LT("<"),
    /** Less than or equal. */
    LTE("<="),
    /** Greater than. */
    GT(">"),
    /** Greater than or equal. */
    GTE(">=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written in the text form. */
    public String symbol() {
      return symbol;
    }

    /** Whether this is one of the four range operators. */
    public boolean isRange() {
      return this == LT || this == LTE || this == GT || this == GTE;
    }
  }

  /**
   * {@code key op value}.
   *
   * @param key the metadata key
   * @param op the operator
   * @param value a stored-form value (String, Long, Double, Boolean)
   */
  record Compare(String key, Op op, Object value) implements Condition {
    /** Validates and normalizes the value like a metadata value. */
    public Compare {
      Metadata.checkKey(key);
      Objects.requireNonNull(op, "op");
      value = Metadata.normalize(key, value);
      if (op.isRange() && value instanceof Boolean) {
        throw new IllegalArgumentException(
            "A range ("
                + op.symbol()
                + ") on the boolean "
                + value
                + " for key '"
                + key
                + "' means nothing: compare booleans with = or !=.");
      }
    }

    @Override
    public boolean matches(Metadata metadata) {
      Object v = metadata.get(key);
      if (op == Op.NE) return v == null || !Values.equal(v, value);
      if (v == null) return false;
      if (op == Op.EQ) return Values.equal(v, value);
      Integer c = Values.compare(v, value);
      if (c == null) return false;
      return switch (op) {
        case LT -> c < 0;
        case LTE -> c <= 0;
        case GT -> c > 0;
        case GTE -> c >= 0;
        default -> throw new AssertionError(op);
      };
    }

    @Override
    public String toString() {
      return FilterText.key(key) + " " + op.symbol() + " " + FilterText.value(value);
    }
  }

  /**
   * {@code key in (v1, v2, …)}, or {@code key not in (…)} when {@code negated}.
   *
   * @param key the metadata key
   * @param values one or more stored-form values, of any types
   * @param negated whether this is {@code not in}
   */
  record In(String key, List<Object> values, boolean negated) implements Condition {
    /** Validates and copies. */
    public In {
      Metadata.checkKey(key);
      if (values == null || values.isEmpty()) {
        throw new IllegalArgumentException("'in' for key '" + key + "' needs at least one value.");
      }
      List<Object> copy = new java.util.ArrayList<>(values.size());
      for (Object v : values) copy.add(Metadata.normalize(key, v));
      values = List.copyOf(copy);
    }

    @Override
    public boolean matches(Metadata metadata) {
      Object v = metadata.get(key);
      boolean any = false;
      if (v != null) {
        for (Object x : values) {
          if (Values.equal(v, x)) {
            any = true;
            break;
          }
        }
      }
      return any != negated;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(FilterText.key(key));
      sb.append(negated ? " not in (" : " in (");
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) sb.append(", ");
        sb.append(FilterText.value(values.get(i)));
      }
      return sb.append(')').toString();
    }
  }

  /**
   * {@code exists(key)}, or {@code missing(key)} when {@code exists} is false.
   *
   * @param key the metadata key
   * @param exists true for exists, false for missing
   */
  record Exists(String key, boolean exists) implements Condition {
    /** Validates the key. */
    public Exists {
      Metadata.checkKey(key);
    }

    @Override
    public boolean matches(Metadata metadata) {
      return metadata.containsKey(key) == exists;
    }

    @Override
    public String toString() {
      return (exists ? "exists(" : "missing(") + FilterText.key(key) + ")";
    }
  }

  /**
   * All of {@code parts}.
   *
   * @param parts two or more conditions
   */
  record And(List<Condition> parts) implements Condition {
    /** Validates and copies. */
    public And {
      parts = List.copyOf(parts);
      if (parts.size() < 2) throw new IllegalArgumentException("'and' needs two or more parts.");
    }

    @Override
    public boolean matches(Metadata metadata) {
      for (Condition c : parts) {
        if (!c.matches(metadata)) return false;
      }
      return true;
    }

    @Override
    public String toString() {
      return FilterText.join(parts, " and ", Or.class);
    }
  }

  /**
   * Any of {@code parts}.
   *
   * @param parts two or more conditions
   */
  record Or(List<Condition> parts) implements Condition {
    /** Validates and copies. */
    public Or {
      parts = List.copyOf(parts);
      if (parts.size() < 2) throw new IllegalArgumentException("'or' needs two or more parts.");
    }

    @Override
    public boolean matches(Metadata metadata) {
      for (Condition c : parts) {
        if (c.matches(metadata)) return true;
      }
      return false;
    }

    @Override
    public String toString() {
      return FilterText.join(parts, " or ", null);
    }
  }

  /**
   * The negation of {@code inner}: true exactly when {@code inner} is false.
   *
   * @param inner the negated condition
   */
  record Not(Condition inner) implements Condition {
    /** Validates. */
    public Not {
      Objects.requireNonNull(inner, "inner");
    }

    @Override
    public boolean matches(Metadata metadata) {
      return !inner.matches(metadata);
    }

    @Override
    public String toString() {
      return "not (" + inner + ")";
    }
  }
}
