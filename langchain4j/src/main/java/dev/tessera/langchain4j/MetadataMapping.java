package dev.tessera.langchain4j;

import dev.langchain4j.data.document.Metadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * LangChain4j metadata to Tessera metadata and back, with every type restored exactly.
 *
 * <p>Tessera stores String, Long, Double and Boolean. LangChain4j's Integer and Long are stored as
 * Long, Float and Double as Double (both widenings are exact), UUID as its String form. So that
 * {@code int}, {@code float} and UUID come back as what was put in, a record whose metadata holds
 * any of them gets one more entry, {@value #TYPES_KEY}, listing those keys with their type: {@code
 * <type letter><key length>:<key>} per key, e.g. {@code i4:yearu2:id} for an Integer "year" and a
 * UUID "id" ({@code i} Integer, {@code f} Float, {@code u} UUID). Everything else reads back by its
 * stored type; a Tessera Boolean (written through the Tessera API) reads as its String form, since
 * LangChain4j metadata has no booleans. The entry is hidden from LangChain4j and refused as a user
 * key.
 */
final class MetadataMapping {
  /** The reserved key that records which keys hold an Integer, a Float or a UUID. */
  static final String TYPES_KEY = "langchain4j.types";

  private MetadataMapping() {}

  /** The Tessera form of LangChain4j metadata (null: none). */
  static dev.tessera.api.Metadata toTessera(Metadata metadata) {
    if (metadata == null) return dev.tessera.api.Metadata.EMPTY;
    Map<String, Object> source = metadata.toMap();
    if (source.isEmpty()) return dev.tessera.api.Metadata.EMPTY;
    if (source.containsKey(TYPES_KEY)) {
      throw new IllegalArgumentException(
          "Metadata key '"
              + TYPES_KEY
              + "' is reserved by Tessera's LangChain4j store (it records which keys hold an"
              + " Integer, a Float or a UUID); rename that key.");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    StringBuilder types = new StringBuilder();
    for (Map.Entry<String, Object> e : new TreeMap<>(source).entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      char tag =
          switch (value) {
            case Integer i -> 'i';
            case Float f -> 'f';
            case UUID u -> 'u';
            default -> 0;
          };
      if (tag != 0) types.append(tag).append(key.length()).append(':').append(key);
      out.put(key, value instanceof UUID u ? u.toString() : value);
    }
    if (!types.isEmpty()) out.put(TYPES_KEY, types.toString());
    return dev.tessera.api.Metadata.of(out);
  }

  /** The LangChain4j form of stored metadata: the types of {@link #toTessera} restored. */
  static Metadata toLangChain4j(dev.tessera.api.Metadata metadata) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : metadata.asMap().entrySet()) {
      if (e.getKey().equals(TYPES_KEY)) continue;
      Object v = e.getValue();
      out.put(e.getKey(), v instanceof Boolean b ? b.toString() : v);
    }
    Object types = metadata.get(TYPES_KEY);
    if (types instanceof String s) restore(s, out);
    return new Metadata(out);
  }

  /** Applies the type list; an entry that does not fit (edited elsewhere) is left as stored. */
  private static void restore(String types, Map<String, Object> values) {
    int i = 0;
    while (i < types.length()) {
      char tag = types.charAt(i++);
      int colon = types.indexOf(':', i);
      if (colon < 0) return;
      int length;
      try {
        length = Integer.parseInt(types, i, colon, 10);
      } catch (NumberFormatException e) {
        return;
      }
      int end = colon + 1 + length;
      if (length < 0 || end > types.length()) return;
      String key = types.substring(colon + 1, end);
      i = end;
      Object v = values.get(key);
      Object restored =
          switch (tag) {
            case 'i' ->
                v instanceof Long l && l == (int) (long) l ? Integer.valueOf((int) (long) l) : v;
            case 'f' ->
                v instanceof Double d && (double) (float) (double) d == d ? (float) (double) d : v;
            case 'u' -> v instanceof String s ? uuidOr(s) : v;
            default -> v;
          };
      if (restored != null) values.put(key, restored);
    }
  }

  private static Object uuidOr(String s) {
    try {
      UUID u = UUID.fromString(s);
      return u.toString().equals(s) ? u : s;
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
