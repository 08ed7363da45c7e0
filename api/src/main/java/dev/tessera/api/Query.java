package dev.tessera.api;

import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A search request: a query embedding, how many hits, and an optional filter on the records'
 * modality and metadata. Immutable; each builder-style method returns a new query.
 *
 * <pre>
 * {@code Query.of(clip.embedText("a sleeping cat")).k(10).only(Modality.IMAGE).where("album", "2024")}
 * </pre>
 */
public final class Query {
  /** Hits returned when {@link #k(int)} is not called. */
  public static final int DEFAULT_K = 10;

  /** Largest k accepted. */
  public static final int MAX_K = 10_000;

  private final Embedding embedding;
  private final int k;
  private final Filter filter;

  private Query(Embedding embedding, int k, Filter filter) {
    this.embedding = Objects.requireNonNull(embedding, "embedding");
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be between 1 and " + MAX_K + ", got " + k + ".");
    }
    this.k = k;
    this.filter = Objects.requireNonNull(filter, "filter");
  }

  /** A query for the {@value #DEFAULT_K} nearest records of any modality. */
  public static Query of(Embedding embedding) {
    return new Query(embedding, DEFAULT_K, Filter.ALL);
  }

  /** The same query returning at most {@code k} hits (1..{@value #MAX_K}). */
  public Query k(int k) {
    return new Query(embedding, k, filter);
  }

  /** The same query restricted to records of the given modalities. */
  public Query only(Modality first, Modality... more) {
    return new Query(embedding, k, new Filter(EnumSet.of(first, more), filter.metadataEquals()));
  }

  /** The same query restricted to records whose metadata has {@code key} equal to {@code value}. */
  public Query where(String key, String value) {
    Map<String, String> m = new TreeMap<>(filter.metadataEquals());
    m.put(key, value);
    return new Query(embedding, k, new Filter(filter.modalities(), m));
  }

  /** The same query with {@code filter} replacing the current one. */
  public Query filter(Filter filter) {
    return new Query(embedding, k, filter);
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

  @Override
  public String toString() {
    return "Query[k=" + k + ", " + filter + ", " + embedding + "]";
  }
}
