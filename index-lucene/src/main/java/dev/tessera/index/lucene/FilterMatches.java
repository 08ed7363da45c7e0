package dev.tessera.index.lucene;

import dev.tessera.api.Modality;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.FixedBitSet;

/**
 * The live records one search's metadata filter matches, per segment and modality, evaluated once
 * per search, so the walks of both modalities and the exact scan share one evaluation and {@link
 * #count} is exact: deleted records and records of modalities the search does not ask for are not
 * counted.
 */
final class FilterMatches {
  private static final Modality[] MODALITIES = Modality.values();

  /** Indexed by leaf ord, then modality ordinal; null for no match. */
  private final FixedBitSet[][] bits;

  private final int[][] counts;
  private final long count;

  private FilterMatches(FixedBitSet[][] bits, int[][] counts, long count) {
    this.bits = bits;
    this.counts = counts;
    this.count = count;
  }

  /**
   * Evaluates {@code filter} on every segment of {@code s} and intersects it with the live records
   * of each of {@code modalities}.
   */
  static FilterMatches of(IndexSearcher s, Query filter, Set<Modality> modalities, FieldDocs docs)
      throws IOException {
    Weight w = s.createWeight(s.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    FixedBitSet[][] bits = new FixedBitSet[leaves.size()][MODALITIES.length];
    int[][] counts = new int[leaves.size()][MODALITIES.length];
    long count = 0;
    for (LeafReaderContext leaf : leaves) {
      Scorer scorer = w.scorer(leaf);
      if (scorer == null) continue;
      FixedBitSet matching = new FixedBitSet(leaf.reader().maxDoc());
      matching.or(scorer.iterator());
      for (Modality m : modalities) {
        FixedBitSet live = docs.live(leaf.reader(), m);
        if (live == null) continue;
        FixedBitSet b = live.clone();
        b.and(matching);
        int n = b.cardinality();
        if (n == 0) continue;
        bits[leaf.ord][m.ordinal()] = b;
        counts[leaf.ord][m.ordinal()] = n;
        count += n;
      }
    }
    return new FilterMatches(bits, counts, count);
  }

  /** How many live records of the searched modalities match. */
  long count() {
    return count;
  }

  /** The matching live records of {@code m} in {@code leaf}, or null for none; do not modify. */
  FixedBitSet bits(LeafReaderContext leaf, Modality m) {
    return bits[leaf.ord][m.ordinal()];
  }

  /** How many records {@link #bits} holds. */
  int count(LeafReaderContext leaf, Modality m) {
    return counts[leaf.ord][m.ordinal()];
  }
}
