package dev.tessera.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which records a search may return: a set of modalities, and optionally a {@link Condition} on
 * their metadata. Backends apply it inside the search (never by filtering the top k afterwards), so
 * a selective filter still returns k hits when k records match.
 *
 * <pre>{@code
 * Filter f = Filter.where("year").gte(2024)
 *     .and(Filter.where("album").in("a", "b"))
 *     .and(Filter.where("rating").gte(4))
 *     .only(Modality.IMAGE);
 * Filter g = Filter.parse("year >= 2024 and album in (\"a\", \"b\")");   // the same condition
 * }</pre>
 *
 * Immutable. {@link #text()} is the condition's canonical text form, which {@link #parse(String)}
 * reads back to an equal condition.
 */
public final class Filter {
  /** Matches every record. */
  public static final Filter ALL = new Filter(EnumSet.allOf(Modality.class), null);

  private final Set<Modality> modalities;
  private final Condition condition;

  private Filter(Set<Modality> modalities, Condition condition) {
    if (modalities == null || modalities.isEmpty()) {
      throw new IllegalArgumentException(
          "A filter needs at least one modality; leave the modality out to search all.");
    }
    this.modalities = Collections.unmodifiableSet(EnumSet.copyOf(modalities));
    this.condition = condition;
  }

  /** A filter on modalities and (when not null) a metadata condition. */
  public static Filter of(Set<Modality> modalities, Condition condition) {
    return new Filter(modalities, condition);
  }

  /** Records of the given modalities, any metadata. */
  public static Filter modality(Modality first, Modality... more) {
    return new Filter(EnumSet.of(first, more), null);
  }

  /** Records of any modality whose metadata satisfies {@code condition}. */
  public static Filter where(Condition condition) {
    return new Filter(
        EnumSet.allOf(Modality.class), Objects.requireNonNull(condition, "condition"));
  }

  /** Starts a condition on {@code key}: {@code Filter.where("year").gte(2024)}. */
  public static Key where(String key) {
    Metadata.checkKey(key);
    return new Key(key);
  }

  /**
   * Parses a condition's text form, e.g. {@code year >= 2024 and album in ("a", "b")}; see {@link
   * Condition} for the semantics.
   *
   * @throws FilterSyntaxException naming the position of the error and what was expected there
   */
  public static Filter parse(String text) {
    return where(FilterParser.parse(text));
  }

  /** Both filters: the modalities both allow, and both conditions. */
  public Filter and(Filter other) {
    EnumSet<Modality> both = EnumSet.copyOf(modalities);
    both.retainAll(other.modalities);
    if (both.isEmpty()) {
      throw new IllegalArgumentException(
          "These filters allow no modality in common ("
              + modalities
              + " and "
              + other.modalities
              + "), so together they would match nothing.");
    }
    return new Filter(both, combine(condition, other.condition, true));
  }

  /**
   * Either condition. Both filters must allow the same modalities (restrict the result with {@link
   * #only} instead), since "images from 2024 or texts from album a" is two searches, not one
   * filter.
   */
  public Filter or(Filter other) {
    if (!modalities.equals(other.modalities)) {
      throw new IllegalArgumentException(
          "'or' joins metadata conditions of filters on the same modalities, but these allow "
              + modalities
              + " and "
              + other.modalities
              + ". Build the condition first, then call only(…) on the result.");
    }
    if (condition == null || other.condition == null) return new Filter(modalities, null);
    return new Filter(modalities, combine(condition, other.condition, false));
  }

  /**
   * The negated metadata condition on the same modalities; a record without the keys the condition
   * names matches the negation (see {@link Condition}).
   */
  public Filter not() {
    if (condition == null) {
      throw new IllegalArgumentException(
          "This filter has no metadata condition to negate; it would match nothing.");
    }
    Condition negated =
        condition instanceof Condition.Not n ? n.inner() : new Condition.Not(condition);
    return new Filter(modalities, negated);
  }

  /** The same condition restricted to the given modalities. */
  public Filter only(Modality first, Modality... more) {
    return new Filter(EnumSet.of(first, more), condition);
  }

  /** The same modalities with {@code condition} (null: none) instead of the current one. */
  public Filter withCondition(Condition condition) {
    return new Filter(modalities, condition);
  }

  /** The modalities a record may have. */
  public Set<Modality> modalities() {
    return modalities;
  }

  /** The metadata condition, if any. */
  public Optional<Condition> condition() {
    return Optional.ofNullable(condition);
  }

  /** Whether a record with this modality and metadata passes. */
  public boolean matches(Modality modality, Metadata metadata) {
    return modalities.contains(modality) && (condition == null || condition.matches(metadata));
  }

  /** Whether {@code item} passes. */
  public boolean matches(Item item) {
    return matches(item.modality(), item.metadata());
  }

  /** Whether this filter lets every record through. */
  public boolean isAll() {
    return modalities.size() == Modality.values().length && condition == null;
  }

  /** Whether this filter restricts metadata. */
  public boolean hasCondition() {
    return condition != null;
  }

  /** The condition's canonical text form, or the empty string when there is none. */
  public String text() {
    return condition == null ? "" : condition.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Filter f
        && f.modalities.equals(modalities)
        && Objects.equals(f.condition, condition);
  }

  @Override
  public int hashCode() {
    return modalities.hashCode() * 31 + Objects.hashCode(condition);
  }

  /** E.g. {@code Filter[image; year >= 2024]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Filter[");
    sb.append(modalities.size() == Modality.values().length ? "any modality" : modalityNames());
    if (condition != null) sb.append("; ").append(condition);
    return sb.append(']').toString();
  }

  private String modalityNames() {
    List<String> names = new ArrayList<>();
    for (Modality m : modalities) names.add(m.id());
    return String.join(", ", names);
  }

  private static Condition combine(Condition a, Condition b, boolean and) {
    if (a == null) return b;
    if (b == null) return a;
    List<Condition> parts = new ArrayList<>();
    for (Condition c : List.of(a, b)) {
      if (and && c instanceof Condition.And x) parts.addAll(x.parts());
      else if (!and && c instanceof Condition.Or x) parts.addAll(x.parts());
      else parts.add(c);
    }
    return and ? new Condition.And(parts) : new Condition.Or(parts);
  }

  /** The builder step after {@link Filter#where(String)}: pick the comparison. */
  public static final class Key {
    private final String key;

    private Key(String key) {
      this.key = key;
    }

    /** {@code key = value}. */
    public Filter eq(Object value) {
      return compare(Condition.Op.EQ, value);
    }

    /** {@code key != value} (true where the key is missing). */
    public Filter ne(Object value) {
      return compare(Condition.Op.NE, value);
    }

    /** {@code key < value}. */
    public Filter lt(Object value) {
      return compare(Condition.Op.LT, value);
    }

    /** {@code key <= value}. */
    public Filter lte(Object value) {
      return compare(Condition.Op.LTE, value);
    }

    /** {@code key > value}. */
    public Filter gt(Object value) {
      return compare(Condition.Op.GT, value);
    }

    /** {@code key >= value}. */
    public Filter gte(Object value) {
      return compare(Condition.Op.GTE, value);
    }

    /** {@code key in (values…)}. */
    public Filter in(Object... values) {
      return Filter.where(new Condition.In(key, java.util.Arrays.asList(values), false));
    }

    /** {@code key in (values…)}. */
    public Filter in(java.util.Collection<?> values) {
      return Filter.where(new Condition.In(key, new ArrayList<Object>(values), false));
    }

    /** {@code key not in (values…)} (true where the key is missing). */
    public Filter notIn(Object... values) {
      return Filter.where(new Condition.In(key, java.util.Arrays.asList(values), true));
    }

    /** {@code key not in (values…)} (true where the key is missing). */
    public Filter notIn(java.util.Collection<?> values) {
      return Filter.where(new Condition.In(key, new ArrayList<Object>(values), true));
    }

    /** {@code exists(key)}. */
    public Filter exists() {
      return Filter.where(new Condition.Exists(key, true));
    }

    /** {@code missing(key)}. */
    public Filter missing() {
      return Filter.where(new Condition.Exists(key, false));
    }

    private Filter compare(Condition.Op op, Object value) {
      return Filter.where(new Condition.Compare(key, op, value));
    }
  }
}
