package dev.tessera.index.lucene;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * The records one search's metadata filter matches, evaluated once per segment of the searcher, so
 * the walks of both modalities and the exact scan share one evaluation and the count is exact. As a
 * {@link Query} it matches those records; Lucene's kNN query takes its bit sets as they are.
 */
final class FilterMatches extends Query {
  private final FixedBitSet[] bits;
  private final long count;

  private FilterMatches(FixedBitSet[] bits, long count) {
    this.bits = bits;
    this.count = count;
  }

  /** Evaluates {@code filter} on every segment of {@code s} (deleted records included). */
  static FilterMatches of(IndexSearcher s, Query filter) throws IOException {
    Weight w = s.createWeight(s.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    FixedBitSet[] bits = new FixedBitSet[leaves.size()];
    long count = 0;
    for (LeafReaderContext leaf : leaves) {
      Scorer scorer = w.scorer(leaf);
      if (scorer == null) continue;
      FixedBitSet b = new FixedBitSet(leaf.reader().maxDoc());
      b.or(scorer.iterator());
      int n = b.cardinality();
      if (n == 0) continue;
      bits[leaf.ord] = b;
      count += n;
    }
    return new FilterMatches(bits, count);
  }

  /** How many records match, deleted ones included. */
  long count() {
    return count;
  }

  /** The matches in {@code leaf}, or null for none. */
  DocIdSetIterator iterator(LeafReaderContext leaf) {
    FixedBitSet b = bits[leaf.ord];
    return b == null ? null : new BitSetIterator(b, b.cardinality());
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    return new ConstantScoreWeight(this, boost) {
      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext context) {
        DocIdSetIterator it = iterator(context);
        if (it == null) return null;
        return new DefaultScorerSupplier(new ConstantScoreScorer(score(), scoreMode, it));
      }

      @Override
      public boolean isCacheable(LeafReaderContext ctx) {
        return false;
      }
    };
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "filterMatches(" + count + ")";
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
