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
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.Bits;

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
    FilterMatches matches = metadata == null ? null : FilterMatches.of(s, metadata);
    if (matches != null && matches.count() < exactBelow)
      return hits(s, exact(s, scorer, filter, matches, k));
    int candidates = (int) Math.min((long) k + overQuery, Integer.MAX_VALUE - 1);
    TopK<Candidate> top = newTopK(s, k);
    List<Float> worstOfFullLists = new ArrayList<>();
    for (Modality m : filter.modalities()) {
      TopDocs td =
          s.search(
              new KnnFloatVectorQuery(Records.vectorField(m), query, candidates, matches),
              candidates);
      List<Candidate> found = new ArrayList<>(td.scoreDocs.length);
      for (ScoreDoc sd : td.scoreDocs) found.add(new Candidate(sd.doc, m));
      float worst = offerRescored(s, scorer, found, top);
      if (td.scoreDocs.length >= candidates) worstOfFullLists.add(worst);
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

  /**
   * Every live record passing the filter ({@code matches}, or null for all), scored exactly, the
   * best {@code k} kept; the filter's matches lead the walk, so a selective filter reads only its
   * matches' vectors.
   */
  private TopK<Candidate> exact(
      IndexSearcher s, QueryScorer scorer, Filter filter, FilterMatches matches, int k)
      throws IOException {
    TopK<Candidate> top = newTopK(s, k);
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      LeafReader r = leaf.reader();
      Bits live = r.getLiveDocs();
      for (Modality m : filter.modalities()) {
        FloatVectorValues values = r.getFloatVectorValues(Records.vectorField(m));
        if (values == null) continue;
        KnnVectorValues.DocIndexIterator it = values.iterator();
        DocIdSetIterator docs = it;
        if (matches != null) {
          DocIdSetIterator matching = matches.iterator(leaf);
          if (matching == null) continue;
          docs = ConjunctionUtils.intersectIterators(List.of(matching, it));
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
