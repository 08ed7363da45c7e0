package dev.tessera.api;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A record's metadata: a small immutable map from keys to typed values, kept sorted by key.
 *
 * <p>Values are {@link String}, {@link Long}, {@link Double} or {@link Boolean} ({@link
 * MetadataType}); {@code Integer}, {@code Short} and {@code Byte} are stored as {@code Long} and
 * {@code Float} as {@code Double}, both exactly. Doubles must be finite. Keys have 1..{@value
 * #MAX_KEY_LENGTH} characters, strings at most {@value #MAX_VALUE_LENGTH}; both must be well-formed
 * UTF-16 (no lone surrogates). At most {@value #MAX_ENTRIES} entries. Anything else is refused with
 * a message naming the key and the fix.
 *
 * <p>One key may hold values of different types in different records of a collection; filters
 * compare typed (see {@link Condition}).
 */
public final class Metadata {
  /** Most entries accepted. */
  public static final int MAX_ENTRIES = 64;

  /** Longest key accepted. */
  public static final int MAX_KEY_LENGTH = 128;

  /** Longest string value accepted. */
  public static final int MAX_VALUE_LENGTH = 4096;

  /** No entries. */
  public static final Metadata EMPTY = new Metadata(Collections.emptySortedMap());

  private final Map<String, Object> entries;

  private Metadata(Map<String, Object> sorted) {
    this.entries = Collections.unmodifiableMap(sorted);
  }

  /**
   * Metadata with the entries of {@code map} (null or empty: {@link #EMPTY}); each value is checked
   * and normalized as the class comment says.
   */
  public static Metadata of(Map<String, ?> map) {
    if (map == null || map.isEmpty()) return EMPTY;
    if (map instanceof Metadata.View v) return v.owner;
    if (map.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "Metadata has " + map.size() + " entries; at most " + MAX_ENTRIES + " are allowed.");
    }
    TreeMap<String, Object> copy = new TreeMap<>();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      String key = e.getKey();
      checkKey(key);
      copy.put(key, normalize(key, e.getValue()));
    }
    return new Metadata(copy);
  }

  /** Metadata with one entry. */
  public static Metadata of(String key, Object value) {
    return EMPTY.with(key, value);
  }

  /** The same metadata with {@code key} set to {@code value} (replacing an earlier value). */
  public Metadata with(String key, Object value) {
    checkKey(key);
    Object v = normalize(key, value);
    TreeMap<String, Object> copy = new TreeMap<>(entries);
    copy.put(key, v);
    if (copy.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "Metadata would have "
              + copy.size()
              + " entries; at most "
              + MAX_ENTRIES
              + " are allowed.");
    }
    return new Metadata(copy);
  }

  /** The same metadata without {@code key}. */
  public Metadata without(String key) {
    if (!entries.containsKey(key)) return this;
    TreeMap<String, Object> copy = new TreeMap<>(entries);
    copy.remove(key);
    return copy.isEmpty() ? EMPTY : new Metadata(copy);
  }

  /**
   * The value of {@code key} ({@code String}, {@code Long}, {@code Double} or {@code Boolean}), or
   * null.
   */
  public Object get(String key) {
    return entries.get(key);
  }

  /** Whether {@code key} has a value. */
  public boolean containsKey(String key) {
    return entries.containsKey(key);
  }

  /** The string value of {@code key}, or null when absent; throws if the value has another type. */
  public String getString(String key) {
    return typed(key, String.class);
  }

  /** The long value of {@code key}, or null when absent; throws if the value has another type. */
  public Long getLong(String key) {
    return typed(key, Long.class);
  }

  /** The double value of {@code key}, or null when absent; throws if the value has another type. */
  public Double getDouble(String key) {
    return typed(key, Double.class);
  }

  /**
   * The boolean value of {@code key}, or null when absent; throws if the value has another type.
   */
  public Boolean getBoolean(String key) {
    return typed(key, Boolean.class);
  }

  /** The type of the value of {@code key}, or null when absent. */
  public MetadataType typeOf(String key) {
    Object v = entries.get(key);
    return v == null ? null : MetadataType.of(v);
  }

  /** The keys, sorted. */
  public Set<String> keys() {
    return entries.keySet();
  }

  /** How many entries. */
  public int size() {
    return entries.size();
  }

  /** Whether there are no entries. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** A read-only map view, sorted by key; {@link #of(Map)} of it returns this metadata again. */
  public Map<String, Object> asMap() {
    return new View(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metadata m && m.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  /** The entries as {@code {key=value, …}}, strings quoted. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : entries.entrySet()) {
      if (sb.length() > 1) sb.append(", ");
      sb.append(e.getKey()).append('=');
      sb.append(e.getValue() instanceof String s ? '"' + s + '"' : e.getValue());
    }
    return sb.append('}').toString();
  }

  private <T> T typed(String key, Class<T> type) {
    Object v = entries.get(key);
    if (v == null) return null;
    if (!type.isInstance(v)) {
      throw new ClassCastException(
          "Metadata key '"
              + key
              + "' holds a "
              + MetadataType.of(v).id()
              + " ("
              + v
              + "), not a "
              + MetadataType.of(type).id()
              + ".");
    }
    return type.cast(v);
  }

  /** Throws with a clear message unless {@code key} is a valid metadata key. */
  static void checkKey(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "Metadata key '"
              + key
              + "' is invalid: keys must have 1 to "
              + MAX_KEY_LENGTH
              + " characters.");
    }
    WellFormed.require(key, "Metadata key");
  }

  /** The stored form of {@code value}, or an error naming the key and the accepted types. */
  static Object normalize(String key, Object value) {
    return switch (value) {
      case null ->
          throw new IllegalArgumentException(
              "Metadata value for key '" + key + "' is null: leave the key out instead.");
      case String s -> {
        if (s.length() > MAX_VALUE_LENGTH) {
          throw new IllegalArgumentException(
              "Metadata value for key '"
                  + key
                  + "' has "
                  + s.length()
                  + " characters; at most "
                  + MAX_VALUE_LENGTH
                  + " are allowed.");
        }
        WellFormed.require(s, "Metadata value for key '" + key + "'");
        yield s;
      }
      case Long l -> l;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Byte b -> (long) b;
      case Double d -> finite(key, d);
      case Float f -> finite(key, (double) f);
      case Boolean b -> b;
      default ->
          throw new IllegalArgumentException(
              "Metadata value for key '"
                  + key
                  + "' is a "
                  + value.getClass().getName()
                  + "; use a String, a whole number (long), a double or a boolean"
                  + " (e.g. a UUID or a date as its String form).");
    };
  }

  private static Double finite(String key, double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException(
          "Metadata value for key '" + key + "' is " + d + "; numbers must be finite.");
    }
    return d;
  }

  /** The read-only map view; remembers its owner so {@link #of(Map)} needs no copy. */
  private static final class View extends java.util.AbstractMap<String, Object> {
    final Metadata owner;

    View(Metadata owner) {
      this.owner = owner;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return owner.entries.entrySet();
    }

    @Override
    public Object get(Object key) {
      return owner.entries.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return owner.entries.containsKey(key);
    }
  }
}
