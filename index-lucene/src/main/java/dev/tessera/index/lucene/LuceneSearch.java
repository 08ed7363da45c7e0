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
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.ConjunctionUtils;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;

/**
 * The store's search on one searcher, on the api's one search contract: Lucene's HNSW walk only
 * generates candidates ({@code k + over-query} per modality, metadata filters inside the walk);
 * each candidate is scored by {@link QueryScorer} on the stored raw vector with the kernel chosen
 * for the JVM, the best k are kept by {@link TopK} (ties by ascending id), and when {@link
 * ExactFallback} says ties may reach past the candidates, the filtered records are scored exactly
 * instead.
 */
final class LuceneSearch {
  private final Similarity similarity;
  private final int overQuery;
  private final StoredRecords stored;
  private final boolean nativeFilters;

  /**
   * Fewest records a metadata filter may match (by Lucene's cost estimate, an upper bound for the
   * conjunctions and term queries filters mostly are) for the HNSW walk to be worth it; below this
   * the matches are scored exactly. Measured with {@code FilterThresholdHarness} at 100k x 512
   * CLIP-like vectors, k=10: see {@link #EXACT_BELOW_REASON}.
   */
  static final int EXACT_BELOW = 3_000;

  /** Why {@link #EXACT_BELOW} is what it is. */
  static final String EXACT_BELOW_REASON = "measured crossover, see FilterThresholdHarness";

  /**
   * A search over {@code stored}; {@code nativeFilters} compiles conditions to queries on the
   * indexed metadata (layout 2), otherwise they are evaluated on stored metadata (layout 1).
   */
  LuceneSearch(Similarity similarity, int overQuery, StoredRecords stored, boolean nativeFilters) {
    this.similarity = similarity;
    this.overQuery = overQuery;
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
    Weight weight = metadata == null ? null : weight(s, metadata);
    if (weight != null && nativeFilters && estimatedMatches(s, weight) < EXACT_BELOW)
      return hits(s, exact(s, scorer, filter, weight, k));
    int candidates = (int) Math.min((long) k + overQuery, Integer.MAX_VALUE - 1);
    TopK<Candidate> top = newTopK(s, k);
    List<Float> worstOfFullLists = new ArrayList<>();
    for (Modality m : filter.modalities()) {
      TopDocs td =
          s.search(
              new KnnFloatVectorQuery(Records.vectorField(m), query, candidates, metadata),
              candidates);
      List<Candidate> found = new ArrayList<>(td.scoreDocs.length);
      for (ScoreDoc sd : td.scoreDocs) found.add(new Candidate(sd.doc, m));
      float worst = offerRescored(s, scorer, found, top);
      if (td.scoreDocs.length >= candidates) worstOfFullLists.add(worst);
    }
    if (top.isFull()) {
      for (float worst : worstOfFullLists) {
        if (ExactFallback.tiesMayExtendBeyond(true, worst, top.worstScore())) {
          return hits(s, exact(s, scorer, filter, weight, k));
        }
      }
    }
    return hits(s, top);
  }

  private static TopK<Candidate> newTopK(IndexSearcher s, int k) {
    return new TopK<>(k, c -> StoredRecords.id(s, c.doc()));
  }

  /**
   * Scores each candidate on its stored vector (read in doc order, one cursor per segment), offers
   * it to {@code top}, and returns the lowest score.
   */
  private float offerRescored(
      IndexSearcher s, QueryScorer scorer, List<Candidate> found, TopK<Candidate> top)
      throws IOException {
    List<Candidate> byDoc = new ArrayList<>(found);
    byDoc.sort(Comparator.comparingInt(Candidate::doc));
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    int leafIndex = -1;
    StoredRecords.VectorCursor cursor = null;
    LeafReaderContext leaf = null;
    float worst = Float.POSITIVE_INFINITY;
    for (Candidate c : byDoc) {
      int li = ReaderUtil.subIndex(c.doc(), leaves);
      if (li != leafIndex) {
        leafIndex = li;
        leaf = leaves.get(li);
        cursor = stored.new VectorCursor(leaf.reader());
      }
      float score = scorer.score(cursor.vector(c.modality(), c.doc() - leaf.docBase));
      worst = Math.min(worst, score);
      offer(top, c, score);
    }
    return worst;
  }

  private static Weight weight(IndexSearcher s, Query metadata) throws IOException {
    return s.createWeight(s.rewrite(metadata), ScoreMode.COMPLETE_NO_SCORES, 1f);
  }

  /** Lucene's estimate of how many records {@code weight} matches, summed over the segments. */
  private static long estimatedMatches(IndexSearcher s, Weight weight) throws IOException {
    long n = 0;
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      ScorerSupplier supplier = weight.scorerSupplier(leaf);
      if (supplier != null) n += supplier.cost();
      if (n >= EXACT_BELOW) break;
    }
    return n;
  }

  /**
   * Every live record passing the filter ({@code weight}, or none for all), scored exactly, the
   * best {@code k} kept; the filter's matches lead the walk, so a selective filter reads only its
   * matches' vectors.
   */
  private TopK<Candidate> exact(
      IndexSearcher s, QueryScorer scorer, Filter filter, Weight weight, int k) throws IOException {
    TopK<Candidate> top = newTopK(s, k);
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      LeafReader r = leaf.reader();
      Bits live = r.getLiveDocs();
      for (Modality m : filter.modalities()) {
        FloatVectorValues values = r.getFloatVectorValues(Records.vectorField(m));
        if (values == null) continue;
        KnnVectorValues.DocIndexIterator it = values.iterator();
        DocIdSetIterator docs = it;
        if (weight != null) {
          Scorer matching = weight.scorer(leaf);
          if (matching == null) continue;
          docs = ConjunctionUtils.intersectIterators(List.of(matching.iterator(), it));
        }
        for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
          if (live != null && !live.get(doc)) continue;
          float score = scorer.score(values.vectorValue(it.index()));
          if (top.competes(score)) offer(top, new Candidate(leaf.docBase + doc, m), score);
        }
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
