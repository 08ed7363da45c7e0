package dev.tessera.api;

import java.util.Comparator;
import java.util.Objects;

/**
 * One search result: the record's id, its score on the collection's {@link Similarity} (higher is
 * better), its modality, metadata and source, and what the result list was ordered by.
 *
 * <p>Stores return hits ranked by similarity ({@link Ranking#SIMILARITY}, {@code rankScore ==
 * score}). An unfiltered search of a collection that holds both modalities ranks them together on a
 * calibrated scale ({@link Ranking#CALIBRATED}); {@link #score()} stays the raw similarity there,
 * and {@link #rankScore()} is the number the list is sorted by.
 *
 * @param id the record's id
 * @param score the similarity of the record to the query, on the collection's {@link Similarity}
 * @param modality the record's modality
 * @param metadata the record's metadata
 * @param source the record's source
 * @param ranking what {@code rankScore} is
 * @param rankScore the number the result list is ordered by (higher first, then ascending id)
 */
public record Hit(
    String id,
    float score,
    Modality modality,
    Metadata metadata,
    Source source,
    Ranking ranking,
    float rankScore) {
  /** Best first: higher rank score, then smaller id, so results are deterministic. */
  public static final Comparator<Hit> ORDER =
      ((Comparator<Hit>) (a, b) -> Float.compare(b.rankScore() + 0f, a.rankScore() + 0f))
          .thenComparing(Hit::id);

  /** What a hit list was ordered by. */
  public enum Ranking {
    /** By the similarity score itself. */
    SIMILARITY,
    /**
     * By how far the hit's similarity stands above what the query scores against the hit's modality
     * in general (in standard deviations), so both modalities rank on one scale.
     */
    CALIBRATED
  }

  /** Validates. */
  public Hit {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(modality, "modality");
    Objects.requireNonNull(ranking, "ranking");
    metadata = metadata == null ? Metadata.EMPTY : metadata;
    source = source == null ? Source.NONE : source;
  }

  /** A hit ranked by its similarity score. */
  public Hit(String id, float score, Modality modality, Metadata metadata, Source source) {
    this(id, score, modality, metadata, source, Ranking.SIMILARITY, score);
  }

  /** A hit for {@code item} with {@code score}, ranked by it. */
  public static Hit of(Item item, float score) {
    return new Hit(item.id(), score, item.modality(), item.metadata(), item.source());
  }

  /** The same hit ranked by {@code rankScore} of kind {@code ranking}. */
  public Hit rankedBy(Ranking ranking, float rankScore) {
    return new Hit(id, score, modality, metadata, source, ranking, rankScore);
  }
}
