package dev.tessera.index.lucene;

import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Modality;
import dev.tessera.api.Similarity;
import dev.tessera.api.search.ExactFallback;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.search.TopK;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * The store's search on one searcher, on the api's one search contract. A metadata filter is
 * evaluated once per search ({@link FilterMatches}: compiled to Lucene queries by {@link
 * ConditionQueries} in layout 2, evaluated on stored metadata in layout 1); when it matches fewer
 * records than {@code exact-below}, those records are scored exactly. Otherwise Lucene's HNSW walk
 * generates candidates ({@code k + over-query} per modality, the filter's matches inside the walk);
 * each candidate is scored by {@link QueryScorer} on the stored raw vector with the kernel chosen
 * for the JVM, the best k are kept by {@link TopK} (ties by ascending id), and when {@link
 * ExactFallback} says ties may reach past the candidates, the filtered records are scored exactly
 * instead.
 */
final class LuceneSearch {
  private final Similarity similarity;
  private final int overQuery;

  /** Filters matching fewer records are scored exactly ({@link LuceneSettings#exactBelow}). */
  private final int exactBelow;

  private final StoredRecords stored;
  private final boolean nativeFilters;

  /** Each segment reader's live records per modality, cached while the reader is open. */
  private final FieldDocs fieldDocs = new FieldDocs();

  /**
   * A search over {@code stored}; {@code nativeFilters} compiles conditions to queries on the
   * indexed metadata (layout 2), otherwise they are evaluated on stored metadata (layout 1).
   */
  LuceneSearch(
      Similarity similarity,
      int overQuery,
      int exactBelow,
      StoredRecords stored,
      boolean nativeFilters) {
    this.similarity = similarity;
    this.overQuery = overQuery;
    this.exactBelow = exactBelow;
    this.stored = stored;
    this.nativeFilters = nativeFilters;
  }

  /** A record found by a search: its global doc id and the modality it was found in. */
  private record Candidate(int doc, Modality modality) {}

  /** The best {@code k} records passing {@code filter} for {@code query}, best first. */
  List<Hit> search(IndexSearcher s, float[] query, int k, Filter filter) throws IOException {
    Query metadata =
        filter
            .condition()
            .map(c -> nativeFilters ? ConditionQueries.compile(c) : new ConditionQuery(c))
            .orElse(null);
    QueryScorer scorer = QueryScorer.of(similarity, query);
    FilterMatches matches =
        metadata == null ? null : FilterMatches.of(s, metadata, filter.modalities(), fieldDocs);
    if (matches != null && matches.count() < exactBelow)
      return hits(s, exact(s, scorer, filter, matches, k));
    int candidates = (int) Math.min((long) k + overQuery, Integer.MAX_VALUE - 1);
    TopK<Candidate> top = newTopK(s, k);
    List<Float> worstOfFullLists = new ArrayList<>();
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      LeafReader r = leaf.reader();
      for (Modality m : filter.modalities()) {
        FixedBitSet accepted = matches == null ? fieldDocs.live(r, m) : matches.bits(leaf, m);
        if (accepted == null) continue;
        int n = matches == null ? -1 : matches.count(leaf, m);
        if (n >= 0 && n <= candidates) { // the walk would return them all: score them
          scoreAll(leaf, m, accepted, scorer, top);
          continue;
        }
        TopKnnCollector c =
            new TopKnnCollector(candidates, n < 0 ? Integer.MAX_VALUE : n, STRATEGY);
        AcceptDocs accept =
            matches == null
                ? AcceptDocs.fromLiveDocs(r.getLiveDocs(), r.maxDoc())
                : new Accepted(accepted, n);
        r.searchNearestVectors(Records.vectorField(m), query, c, accept);
        TopDocs td = c.topDocs();
        // As Lucene's own kNN query does: a walk that visited more records than the filter
        // matches, or found fewer than it could, gives way to scoring the matches exactly.
        if (c.earlyTerminated()
            || (td.scoreDocs.length < candidates
                && td.scoreDocs.length < (n >= 0 ? n : accepted.cardinality()))) {
          scoreAll(leaf, m, accepted, scorer, top);
          continue;
        }
        float worst = offerRescored(leaf, m, scorer, td.scoreDocs, top);
        if (td.scoreDocs.length >= candidates) worstOfFullLists.add(worst);
      }
    }
    if (top.isFull()) {
      for (float worst : worstOfFullLists) {
        if (ExactFallback.tiesMayExtendBeyond(true, worst, top.worstScore())) {
          return hits(s, exact(s, scorer, filter, matches, k));
        }
      }
    }
    return hits(s, top);
  }

  /** Lucene's default HNSW strategy, as its kNN query uses: filtered walks above 60% matching. */
  private static final KnnSearchStrategy STRATEGY = KnnSearchStrategy.Hnsw.DEFAULT;

  /** A filter's matches in one segment and modality, as the graph walk takes them. */
  private static final class Accepted extends AcceptDocs {
    private final FixedBitSet bits;
    private final int count;

    Accepted(FixedBitSet bits, int count) {
      this.bits = bits;
      this.count = count;
    }

    @Override
    public Bits bits() {
      return bits;
    }

    @Override
    public DocIdSetIterator iterator() {
      return new BitSetIterator(bits, count);
    }

    @Override
    public int cost() {
      return count;
    }
  }

  private static TopK<Candidate> newTopK(IndexSearcher s, int k) {
    return new TopK<>(k, c -> StoredRecords.id(s, c.doc()));
  }

  /**
   * Scores each candidate (segment docs) on its stored vector, read in doc order, offers it to
   * {@code top}, and returns the lowest score.
   */
  private float offerRescored(
      LeafReaderContext leaf, Modality m, QueryScorer scorer, ScoreDoc[] found, TopK<Candidate> top)
      throws IOException {
    int[] docs = new int[found.length];
    for (int i = 0; i < docs.length; i++) docs[i] = found[i].doc;
    Arrays.sort(docs);
    FloatVectorValues values = vectors(leaf, m);
    KnnVectorValues.DocIndexIterator it = values.iterator();
    float worst = Float.POSITIVE_INFINITY;
    for (int doc : docs) {
      float score = scorer.score(values.vectorValue(ordOf(it, doc, leaf, m)));
      worst = Math.min(worst, score);
      offer(top, new Candidate(leaf.docBase + doc, m), score);
    }
    return worst;
  }

  /** Scores every record of {@code docs} (segment docs of modality {@code m}) into {@code top}. */
  private void scoreAll(
      LeafReaderContext leaf, Modality m, FixedBitSet docs, QueryScorer scorer, TopK<Candidate> top)
      throws IOException {
    FloatVectorValues values = vectors(leaf, m);
    KnnVectorValues.DocIndexIterator it = values.iterator();
    int max = docs.length();
    for (int doc = docs.nextSetBit(0);
        doc != DocIdSetIterator.NO_MORE_DOCS;
        doc = doc + 1 < max ? docs.nextSetBit(doc + 1) : DocIdSetIterator.NO_MORE_DOCS) {
      float score = scorer.score(values.vectorValue(ordOf(it, doc, leaf, m)));
      if (top.competes(score)) offer(top, new Candidate(leaf.docBase + doc, m), score);
    }
  }

  private FloatVectorValues vectors(LeafReaderContext leaf, Modality m) throws IOException {
    FloatVectorValues values = leaf.reader().getFloatVectorValues(Records.vectorField(m));
    if (values == null) throw stored.missingVector(m, -1);
    return values;
  }

  /** The vector ordinal of {@code doc}, moving {@code it} forward to it. */
  private int ordOf(
      KnnVectorValues.DocIndexIterator it, int doc, LeafReaderContext leaf, Modality m)
      throws IOException {
    if (it.docID() < doc) it.advance(doc);
    if (it.docID() != doc) throw stored.missingVector(m, doc);
    return it.index();
  }

  /**
   * Every live record passing the filter ({@code matches}, or null for all), scored exactly, the
   * best {@code k} kept; a selective filter reads only its matches' vectors.
   */
  private TopK<Candidate> exact(
      IndexSearcher s, QueryScorer scorer, Filter filter, FilterMatches matches, int k)
      throws IOException {
    TopK<Candidate> top = newTopK(s, k);
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      for (Modality m : filter.modalities()) {
        FixedBitSet docs =
            matches == null ? fieldDocs.live(leaf.reader(), m) : matches.bits(leaf, m);
        if (docs != null) scoreAll(leaf, m, docs, scorer, top);
      }
    }
    return top;
  }

  /** Offers a candidate; an id lookup that fails on a tie surfaces as the IOException it is. */
  private static void offer(TopK<Candidate> top, Candidate c, float score) throws IOException {
    try {
      top.offer(c, score);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static List<Hit> hits(IndexSearcher s, TopK<Candidate> top) throws IOException {
    List<Hit> hits = new ArrayList<>(top.size());
    try {
      for (TopK.Scored<Candidate> c : top.results())
        hits.add(StoredRecords.hit(s, c.item().doc(), c.score(), c.item().modality()));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return hits;
  }
}
