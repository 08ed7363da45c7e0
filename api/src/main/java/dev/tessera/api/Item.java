package dev.tessera.api;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One record of a collection: a unique id, its embedding, a small metadata map and its source.
 *
 * <p>Ids are 1..{@value #MAX_ID_LENGTH} characters without control characters. Metadata holds at
 * most {@value #MAX_METADATA_ENTRIES} string entries (keys up to {@value #MAX_KEY_LENGTH}
 * characters, values up to {@value #MAX_VALUE_LENGTH}); it is copied and kept sorted by key.
 */
public record Item(String id, Embedding embedding, Map<String, String> metadata, Source source) {
  /** Longest id accepted. */
  public static final int MAX_ID_LENGTH = 1024;

  /** Most metadata entries accepted. */
  public static final int MAX_METADATA_ENTRIES = 64;

  /** Longest metadata key accepted. */
  public static final int MAX_KEY_LENGTH = 128;

  /** Longest metadata value accepted. */
  public static final int MAX_VALUE_LENGTH = 4096;

  /** Validates every field and copies the metadata. */
  public Item {
    checkId(id);
    Objects.requireNonNull(embedding, "embedding");
    source = source == null ? Source.NONE : source;
    metadata = copyMetadata(metadata);
  }

  /** A text record whose source is the text itself. */
  public static Item text(String id, String text, Embedding embedding) {
    return new Item(id, embedding, Map.of(), Source.text(text));
  }

  /** An image record whose source is {@code location} (a path or URI). */
  public static Item image(String id, String location, Embedding embedding) {
    return new Item(id, embedding, Map.of(), Source.image(location));
  }

  /** A record without a source (it can not be re-embedded later). */
  public static Item of(String id, Embedding embedding) {
    return new Item(id, embedding, Map.of(), Source.NONE);
  }

  /** The same record with {@code metadata} instead of its current metadata. */
  public Item withMetadata(Map<String, String> metadata) {
    return new Item(id, embedding, metadata, source);
  }

  /**
   * The same record with another embedding (e.g. from a new model), keeping id, metadata and
   * source.
   */
  public Item withEmbedding(Embedding embedding) {
    return new Item(id, embedding, metadata, source);
  }

  /** The same record with one more metadata entry. */
  public Item with(String key, String value) {
    Map<String, String> m = new TreeMap<>(metadata);
    m.put(key, value);
    return new Item(id, embedding, m, source);
  }

  /** The modality of the record's embedding. */
  public Modality modality() {
    return embedding.modality();
  }

  /** Throws with a clear message unless {@code id} is a valid record id. */
  public static void checkId(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("A record id must not be empty.");
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "Record id is "
              + id.length()
              + " characters long; at most "
              + MAX_ID_LENGTH
              + " are allowed: '"
              + id.substring(0, 40)
              + "…'.");
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isISOControl(id.charAt(i))) {
        throw new IllegalArgumentException(
            "Record id must not contain control characters: '" + id.strip() + "'.");
      }
    }
  }

  static Map<String, String> copyMetadata(Map<String, String> metadata) {
    if (metadata == null || metadata.isEmpty()) return Map.of();
    if (metadata.size() > MAX_METADATA_ENTRIES) {
      throw new IllegalArgumentException(
          "Metadata has "
              + metadata.size()
              + " entries; at most "
              + MAX_METADATA_ENTRIES
              + " are allowed.");
    }
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      if (k == null || k.isEmpty() || k.length() > MAX_KEY_LENGTH) {
        throw new IllegalArgumentException(
            "Metadata key '"
                + k
                + "' is invalid: keys must have 1 to "
                + MAX_KEY_LENGTH
                + " characters.");
      }
      if (v == null) {
        throw new IllegalArgumentException(
            "Metadata value for key '"
                + k
                + "' is null: use an empty string or leave the key out.");
      }
      if (v.length() > MAX_VALUE_LENGTH) {
        throw new IllegalArgumentException(
            "Metadata value for key '"
                + k
                + "' has "
                + v.length()
                + " characters; at most "
                + MAX_VALUE_LENGTH
                + " are allowed.");
      }
      copy.put(k, v);
    }
    return java.util.Collections.unmodifiableMap(copy);
  }
}
