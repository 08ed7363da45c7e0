package dev.tessera.api;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;

/**
 * One search result: the record's id, its score on the collection's {@link Similarity} (higher is
 * better), its modality, metadata and source.
 */
public record Hit(
    String id, float score, Modality modality, Map<String, String> metadata, Source source) {
  /** Best first: higher score, then smaller id, so results are deterministic. */
  public static final Comparator<Hit> ORDER =
      Comparator.comparingDouble((Hit h) -> -h.score()).thenComparing(Hit::id);

  /** Validates and copies. */
  public Hit {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(modality, "modality");
    metadata = Item.copyMetadata(metadata);
    source = source == null ? Source.NONE : source;
  }

  /** A hit for {@code item} with {@code score}. */
  public static Hit of(Item item, float score) {
    return new Hit(item.id(), score, item.modality(), item.metadata(), item.source());
  }
}
