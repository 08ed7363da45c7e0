package dev.tessera.api;

import java.util.Objects;

/**
 * A search request: a query embedding, how many hits, an optional {@link Filter} on the records'
 * modality and metadata, and how a search over both modalities is ranked. Immutable; each
 * builder-style method returns a new query.
 *
 * <pre>{@code
 * Query.of(clip.embedText("a sleeping cat")).k(10).only(Modality.IMAGE).where(Filter.where("year").gte(2024))
 * }</pre>
 *
 * <p>Ranking: when the filter admits both modalities and the collection holds both, hits are ranked
 * together on a calibrated scale by default ({@link Hit.Ranking#CALIBRATED}), because raw CLIP
 * similarities put texts near texts and images near images (the modality gap). {@code
 * ranking(Hit.Ranking.SIMILARITY)} asks for the raw order instead.
 */
public final class Query {
  /** Hits returned when {@link #k(int)} is not called. */
  public static final int DEFAULT_K = 10;

  /** Largest k accepted. */
  public static final int MAX_K = 10_000;

  private final Embedding embedding;
  private final int k;
  private final Filter filter;
  private final Hit.Ranking ranking;

  private Query(Embedding embedding, int k, Filter filter, Hit.Ranking ranking) {
    this.embedding = Objects.requireNonNull(embedding, "embedding");
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be between 1 and " + MAX_K + ", got " + k + ".");
    }
    this.k = k;
    this.filter = Objects.requireNonNull(filter, "filter");
    this.ranking = Objects.requireNonNull(ranking, "ranking");
  }

  /** A query for the {@value #DEFAULT_K} nearest records of any modality. */
  public static Query of(Embedding embedding) {
    return new Query(embedding, DEFAULT_K, Filter.ALL, Hit.Ranking.CALIBRATED);
  }

  /** The same query returning at most {@code k} hits (1..{@value #MAX_K}). */
  public Query k(int k) {
    return new Query(embedding, k, filter, ranking);
  }

  /** The same query restricted to records of the given modalities. */
  public Query only(Modality first, Modality... more) {
    return new Query(embedding, k, filter.only(first, more), ranking);
  }

  /** The same query restricted further by {@code filter} (both must hold). */
  public Query where(Filter filter) {
    return new Query(embedding, k, this.filter.and(filter), ranking);
  }

  /** The same query restricted to records whose metadata has {@code key} equal to {@code value}. */
  public Query where(String key, Object value) {
    return where(Filter.where(key).eq(value));
  }

  /** The same query with {@code filter} replacing the current one. */
  public Query filter(Filter filter) {
    return new Query(embedding, k, filter, ranking);
  }

  /**
   * The same query ranked by {@code ranking} when it spans both modalities: {@link
   * Hit.Ranking#CALIBRATED} (the default) or {@link Hit.Ranking#SIMILARITY} (raw scores).
   */
  public Query ranking(Hit.Ranking ranking) {
    return new Query(embedding, k, filter, ranking);
  }

  /** The query embedding. */
  public Embedding embedding() {
    return embedding;
  }

  /** How many hits at most. */
  public int k() {
    return k;
  }

  /** Which records may be returned. */
  public Filter filter() {
    return filter;
  }

  /** How a search spanning both modalities is ranked. */
  public Hit.Ranking ranking() {
    return ranking;
  }

  @Override
  public String toString() {
    return "Query[k=" + k + ", " + filter + ", ranking=" + ranking + ", " + embedding + "]";
  }
}
