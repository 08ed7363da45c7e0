package dev.tessera.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.tessera.api.FingerprintMismatchException;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Query;
import dev.tessera.api.Similarity;
import dev.tessera.api.Source;
import dev.tessera.api.collection.VectorCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A LangChain4j {@link EmbeddingStore} of {@link TextSegment}s over an open Tessera {@link
 * VectorCollection}. Every vector is checked at the collection's gate against the collection's own
 * fingerprint (dimension, finite values, unit length where the model promises it); build the store
 * with {@link Builder#embeddingModel(TesseraEmbeddingModel)} and the model's fingerprint must equal
 * the collection's too, so a pipeline can not mix models.
 *
 * <ul>
 *   <li>Records: a segment's text is the record's text source, its metadata the record's metadata
 *       (types restored exactly, see the module README); an embedding added without a segment has
 *       no source. Records are text records; ids not given are random UUIDs.
 *   <li>Search: the records of the collection (of the modalities set with {@link
 *       Builder#modalities}, all by default), by raw similarity; scores are LangChain4j's
 *       relevance, {@code (cos + 1) / 2} for cosine and dot product, the score itself for
 *       euclidean. {@code minScore} is a relevance, inclusive. LangChain4j filters run inside the
 *       search (see {@link FilterMapping}). Records whose source is not a text (images written
 *       through the Tessera API) come back with {@code embedded() == null}.
 *   <li>Visibility and durability: every write is visible to searches at once. With {@link
 *       CommitPolicy#EVERY_WRITE} (the default) each add or remove call also commits, so it is
 *       durable when it returns; with {@link CommitPolicy#MANUAL} nothing is committed until {@link
 *       #commit()} (faster bulk ingestion; uncommitted writes are lost when the collection closes).
 * </ul>
 *
 * The store does not own the collection: close the collection yourself. Thread-safe as the
 * collection is.
 */
public final class TesseraEmbeddingStore implements EmbeddingStore<TextSegment> {

  /** When the store commits the collection. */
  public enum CommitPolicy {
    /** Every add and remove call commits before it returns. */
    EVERY_WRITE,
    /** Only {@link TesseraEmbeddingStore#commit()} commits. */
    MANUAL
  }

  private final VectorCollection collection;
  private final ModelFingerprint fingerprint;
  private final CommitPolicy commitPolicy;
  private final Set<Modality> modalities;

  private TesseraEmbeddingStore(
      VectorCollection collection, CommitPolicy commitPolicy, Set<Modality> modalities) {
    this.collection = collection;
    this.fingerprint = collection.fingerprint();
    this.commitPolicy = commitPolicy;
    this.modalities = Set.copyOf(modalities);
  }

  /** A store over {@code collection} that commits on every write. */
  public static TesseraEmbeddingStore of(VectorCollection collection) {
    return builder(collection).build();
  }

  /** A builder for a store over {@code collection}. */
  public static Builder builder(VectorCollection collection) {
    return new Builder(Objects.requireNonNull(collection, "collection"));
  }

  // ---------------------------------------------------------------- adds

  @Override
  public String add(Embedding embedding) {
    String id = newId();
    add(id, embedding);
    return id;
  }

  @Override
  public void add(String id, Embedding embedding) {
    requireId(id);
    write(List.of(item(id, embedding, null)));
  }

  @Override
  public String add(Embedding embedding, TextSegment segment) {
    String id = newId();
    write(List.of(item(id, embedding, segment)));
    return id;
  }

  @Override
  public List<String> addAll(List<Embedding> embeddings) {
    List<String> ids = generateIds(requireList(embeddings, "embeddings").size());
    addAll(ids, embeddings, null);
    return ids;
  }

  @Override
  public List<String> addAll(List<Embedding> embeddings, List<TextSegment> segments) {
    List<String> ids = generateIds(requireList(embeddings, "embeddings").size());
    addAll(ids, embeddings, segments);
    return ids;
  }

  /**
   * Adds or replaces records: {@code ids}, {@code embeddings} and (when not null) {@code segments}
   * are positional and must have the same size. The batch is checked whole before anything is
   * written; an empty batch does nothing.
   */
  @Override
  public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
    requireList(ids, "ids");
    requireList(embeddings, "embeddings");
    if (ids.size() != embeddings.size()) {
      throw new IllegalArgumentException(
          "ids and embeddings must have the same size, got "
              + ids.size()
              + " ids and "
              + embeddings.size()
              + " embeddings.");
    }
    if (segments != null && segments.size() != embeddings.size()) {
      throw new IllegalArgumentException(
          "embeddings and embedded must have the same size, got "
              + embeddings.size()
              + " embeddings and "
              + segments.size()
              + " segments.");
    }
    if (ids.isEmpty()) return;
    List<Item> items = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      requireId(ids.get(i));
      items.add(item(ids.get(i), embeddings.get(i), segments == null ? null : segments.get(i)));
    }
    write(items);
  }

  @Override
  public List<String> generateIds(int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) ids.add(newId());
    return ids;
  }

  // ---------------------------------------------------------------- removes

  @Override
  public void remove(String id) {
    requireId(id);
    delete(List.of(id));
  }

  @Override
  public void removeAll(Collection<String> ids) {
    if (ids == null || ids.isEmpty()) {
      throw new IllegalArgumentException("ids cannot be null or empty");
    }
    for (String id : ids) requireId(id);
    delete(List.copyOf(ids));
  }

  /**
   * Removes every record of this store's modalities whose metadata matches {@code filter} (a scan
   * of ids and metadata).
   */
  @Override
  public void removeAll(Filter filter) {
    if (filter == null) throw new IllegalArgumentException("filter cannot be null");
    removeWhere(dev.tessera.api.Filter.of(modalities, FilterMapping.toCondition(filter)));
  }

  /**
   * Removes every record of this store's modalities: with the default, every record of the
   * collection, images written through the Tessera API too.
   */
  @Override
  public void removeAll() {
    removeWhere(dev.tessera.api.Filter.of(modalities, null));
  }

  // ---------------------------------------------------------------- search

  @Override
  public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
    Objects.requireNonNull(request, "request");
    Query query =
        Query.of(queryEmbedding(request.queryEmbedding()))
            .k(Math.min(request.maxResults(), Query.MAX_K))
            .ranking(Hit.Ranking.SIMILARITY)
            .filter(
                dev.tessera.api.Filter.of(
                    modalities,
                    request.filter() == null ? null : FilterMapping.toCondition(request.filter())));
    List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>();
    for (Hit hit : collection.search(query)) {
      double relevance = relevance(hit.score());
      if (relevance < request.minScore()) break;
      Optional<Item> item = collection.get(hit.id());
      if (item.isEmpty()) continue; // removed since the search ran
      matches.add(
          new EmbeddingMatch<>(
              relevance,
              hit.id(),
              new Embedding(item.get().embedding().vector()),
              segment(hit.source(), hit.metadata())));
    }
    return new EmbeddingSearchResult<>(matches);
  }

  // ---------------------------------------------------------------- Tessera side

  /** Commits the collection: every write so far is durable when this returns. */
  public void commit() {
    collection.commit();
  }

  /** The collection this store reads and writes. */
  public VectorCollection collection() {
    return collection;
  }

  /** The collection's fingerprint, which every vector written or searched must fit. */
  public ModelFingerprint fingerprint() {
    return fingerprint;
  }

  /** When this store commits. */
  public CommitPolicy commitPolicy() {
    return commitPolicy;
  }

  /** The modalities of the records this store searches and removes. */
  public Set<Modality> modalities() {
    return modalities;
  }

  /** LangChain4j's relevance in [0, 1] for a Tessera score of this collection's similarity. */
  double relevance(float score) {
    return fingerprint.similarity() == Similarity.EUCLIDEAN ? score : (score + 1.0) / 2.0;
  }

  @Override
  public String toString() {
    return "TesseraEmbeddingStore[" + collection + ", " + commitPolicy + ", " + modalities + "]";
  }

  // ---------------------------------------------------------------- internals

  private Item item(String id, Embedding embedding, TextSegment segment) {
    Objects.requireNonNull(embedding, "embedding");
    dev.tessera.api.Embedding e = dev.tessera.api.Embedding.text(embedding.vector(), fingerprint);
    if (segment == null) return new Item(id, e, dev.tessera.api.Metadata.EMPTY, Source.NONE);
    return new Item(
        id, e, MetadataMapping.toTessera(segment.metadata()), Source.text(segment.text()));
  }

  private dev.tessera.api.Embedding queryEmbedding(Embedding embedding) {
    Objects.requireNonNull(embedding, "queryEmbedding");
    return dev.tessera.api.Embedding.text(embedding.vector(), fingerprint);
  }

  private static TextSegment segment(Source source, dev.tessera.api.Metadata metadata) {
    if (!(source instanceof Source.Text text)) return null;
    return TextSegment.from(text.text(), MetadataMapping.toLangChain4j(metadata));
  }

  private void write(List<Item> items) {
    collection.upsert(items);
    if (commitPolicy == CommitPolicy.EVERY_WRITE) collection.commit();
  }

  private void removeWhere(dev.tessera.api.Filter filter) {
    List<String> ids = new ArrayList<>();
    collection.forEachRecord(
        (id, modality, metadata, source) -> {
          if (filter.matches(modality, metadata)) ids.add(id);
        });
    delete(ids);
  }

  private void delete(List<String> ids) {
    if (ids.isEmpty()) return;
    collection.delete(ids);
    if (commitPolicy == CommitPolicy.EVERY_WRITE) collection.commit();
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  private static void requireId(String id) {
    if (id == null || id.isBlank())
      throw new IllegalArgumentException("id cannot be null or blank");
  }

  private static <T> List<T> requireList(List<T> list, String name) {
    if (list == null) throw new IllegalArgumentException(name + " cannot be null");
    return list;
  }

  /** Builds a {@link TesseraEmbeddingStore}. */
  public static final class Builder {
    private final VectorCollection collection;
    private CommitPolicy commitPolicy = CommitPolicy.EVERY_WRITE;
    private Set<Modality> modalities = EnumSet.allOf(Modality.class);

    private Builder(VectorCollection collection) {
      this.collection = collection;
    }

    /** When the store commits; {@link CommitPolicy#EVERY_WRITE} unless set. */
    public Builder commitPolicy(CommitPolicy commitPolicy) {
      this.commitPolicy = Objects.requireNonNull(commitPolicy, "commitPolicy");
      return this;
    }

    /**
     * Restricts searches and {@code removeAll} to records of these modalities; all unless set. A
     * retrieval pipeline over a collection that also holds images wants {@link Modality#TEXT}:
     * every match then has a text segment.
     */
    public Builder modalities(Modality first, Modality... more) {
      this.modalities = EnumSet.of(first, more);
      return this;
    }

    /**
     * Checks that {@code model} is the collection's model: its encoder's fingerprint must equal the
     * collection's.
     *
     * @throws FingerprintMismatchException naming both fingerprints when they differ
     */
    public Builder embeddingModel(TesseraEmbeddingModel model) {
      Objects.requireNonNull(model, "model");
      if (!model.fingerprint().equals(collection.fingerprint())) {
        throw new FingerprintMismatchException(
            "LangChain4j store over " + collection.directory() + " with embedding model " + model,
            collection.fingerprint(),
            model.fingerprint());
      }
      return this;
    }

    /** The store. */
    public TesseraEmbeddingStore build() {
      return new TesseraEmbeddingStore(collection, commitPolicy, modalities);
    }
  }
}
