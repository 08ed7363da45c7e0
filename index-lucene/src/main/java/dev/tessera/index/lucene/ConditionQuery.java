package dev.tessera.index.lucene;

import dev.tessera.api.Condition;
import java.io.IOException;
import java.util.Set;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * Matches the documents whose stored metadata satisfies a {@link Condition}, by evaluating the
 * condition on each document of a segment. Correct for every condition, but it reads every
 * document's stored metadata, so it is the fallback for conditions the index has no terms or points
 * for.
 */
final class ConditionQuery extends Query {
  private final Condition condition;

  ConditionQuery(Condition condition) {
    this.condition = condition;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    return new ConstantScoreWeight(this, boost) {
      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
        LeafReader r = context.reader();
        StoredFields stored = r.storedFields();
        FixedBitSet bits = new FixedBitSet(r.maxDoc());
        Set<String> fields = Set.of(Records.METADATA_STORED, Records.METADATA_STORED_V1);
        for (int doc = 0; doc < r.maxDoc(); doc++) {
          if (condition.matches(Records.decodeMetadata(stored.document(doc, fields))))
            bits.set(doc);
        }
        int n = bits.cardinality();
        if (n == 0) return null;
        var scorer = new ConstantScoreScorer(score(), scoreMode, new BitSetIterator(bits, n));
        return new DefaultScorerSupplier(scorer);
      }

      @Override
      public boolean isCacheable(LeafReaderContext ctx) {
        return true;
      }
    };
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "condition(" + condition + ")";
  }

  @Override
  public boolean equals(Object o) {
    return sameClassAs(o) && ((ConditionQuery) o).condition.equals(condition);
  }

  @Override
  public int hashCode() {
    return 31 * classHash() + condition.hashCode();
  }
}
