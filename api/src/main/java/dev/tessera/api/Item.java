package dev.tessera.api;

import java.util.Map;
import java.util.Objects;

/**
 * One record of a collection: a unique id, its embedding, its {@link Metadata} and its source.
 *
 * <p>Ids are 1..{@value #MAX_ID_LENGTH} characters of well-formed UTF-16 without control
 * characters.
 *
 * @param id the record's unique id
 * @param embedding the vector, with the fingerprint of the model that made it and its modality
 * @param metadata typed key/value pairs that filters can test
 * @param source where the record came from, so it can be re-embedded
 */
public record Item(String id, Embedding embedding, Metadata metadata, Source source) {
  /** Longest id accepted. */
  public static final int MAX_ID_LENGTH = 1024;

  /** Validates every field. */
  public Item {
    checkId(id);
    Objects.requireNonNull(embedding, "embedding");
    source = source == null ? Source.NONE : source;
    metadata = metadata == null ? Metadata.EMPTY : metadata;
  }

  /** A record with metadata given as a map (see {@link Metadata#of(Map)} for the value types). */
  public Item(String id, Embedding embedding, Map<String, ?> metadata, Source source) {
    this(id, embedding, Metadata.of(metadata), source);
  }

  /** A text record whose source is the text itself. */
  public static Item text(String id, String text, Embedding embedding) {
    return new Item(id, embedding, Metadata.EMPTY, Source.text(text));
  }

  /** An image record whose source is {@code location} (a path or URI). */
  public static Item image(String id, String location, Embedding embedding) {
    return new Item(id, embedding, Metadata.EMPTY, Source.image(location));
  }

  /** A record without a source (it can not be re-embedded later). */
  public static Item of(String id, Embedding embedding) {
    return new Item(id, embedding, Metadata.EMPTY, Source.NONE);
  }

  /** The same record with {@code metadata} instead of its current metadata. */
  public Item withMetadata(Metadata metadata) {
    return new Item(id, embedding, metadata, source);
  }

  /**
   * The same record with another embedding (e.g. from a new model), keeping id, metadata and
   * source.
   */
  public Item withEmbedding(Embedding embedding) {
    return new Item(id, embedding, metadata, source);
  }

  /**
   * The same record with one more metadata entry: a String, a whole number, a double or a boolean
   * (see {@link Metadata}).
   */
  public Item with(String key, Object value) {
    return new Item(id, embedding, metadata.with(key, value), source);
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
    WellFormed.require(id, "Record id '" + id + "'");
  }
}
