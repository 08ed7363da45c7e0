package dev.tessera.index.lucene;

import dev.tessera.api.Condition;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.BinaryPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Compiles a {@link Condition} into Lucene queries over the fields of {@link MetadataFields}, with
 * the condition's exact semantics: a comparison matches only values of its own kind (strings, or
 * numbers of either type, or booleans), and {@code !=}, {@code not in} and {@code not} are "every
 * record but", so they match records without the key or with a value of another kind.
 */
final class ConditionQueries {
  private ConditionQueries() {}

  /**
   * The query for {@code condition}; a condition with more leaves than Lucene allows clauses falls
   * back to {@link ConditionQuery}, which evaluates it on each record's stored metadata.
   */
  static Query compile(Condition condition) {
    if (leaves(condition) > IndexSearcher.getMaxClauseCount() / 2)
      return new ConditionQuery(condition);
    return new ConstantScoreQuery(query(condition));
  }

  private static int leaves(Condition c) {
    return switch (c) {
      case Condition.And a -> a.parts().stream().mapToInt(ConditionQueries::leaves).sum();
      case Condition.Or o -> o.parts().stream().mapToInt(ConditionQueries::leaves).sum();
      case Condition.Not n -> 1 + leaves(n.inner());
      case Condition.In in -> Math.min(3, in.values().size());
      default -> 1;
    };
  }

  private static Query query(Condition c) {
    return switch (c) {
      case Condition.Compare cmp -> compare(cmp);
      case Condition.In in ->
          in.negated() ? not(in(in.key(), in.values())) : in(in.key(), in.values());
      case Condition.Exists e -> {
        Query present = new TermQuery(new Term(MetadataFields.KEYS, e.key()));
        yield e.exists() ? present : not(present);
      }
      case Condition.And a -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Condition part : a.parts()) b.add(query(part), BooleanClause.Occur.FILTER);
        yield b.build();
      }
      case Condition.Or o -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Condition part : o.parts()) b.add(query(part), BooleanClause.Occur.SHOULD);
        yield b.build();
      }
      case Condition.Not n -> not(query(n.inner()));
    };
  }

  /** Every record but those {@code q} matches. */
  private static Query not(Query q) {
    return new BooleanQuery.Builder()
        .add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
        .add(q, BooleanClause.Occur.MUST_NOT)
        .build();
  }

  private static Query compare(Condition.Compare c) {
    String key = c.key();
    Object v = c.value();
    return switch (c.op()) {
      case EQ -> equal(key, v);
      case NE -> not(equal(key, v));
      case LT, LTE, GT, GTE ->
          v instanceof String s ? stringRange(key, c.op(), s) : numberRange(key, c.op(), v);
    };
  }

  private static Query equal(String key, Object v) {
    return switch (v) {
      case String s -> new TermQuery(new Term(MetadataFields.STRING + key, s));
      case Boolean b -> new TermQuery(new Term(MetadataFields.BOOLEAN + key, b.toString()));
      default ->
          BinaryPoint.newExactQuery(MetadataFields.NUMBER + key, MetadataFields.numberKey(v));
    };
  }

  /** {@code key in (values)}: the values of each kind in one set query, the kinds or-ed. */
  private static Query in(String key, List<Object> values) {
    List<BytesRef> strings = new ArrayList<>();
    List<BytesRef> booleans = new ArrayList<>();
    List<byte[]> numbers = new ArrayList<>();
    for (Object v : values) {
      switch (v) {
        case String s -> strings.add(new BytesRef(s));
        case Boolean b -> booleans.add(new BytesRef(b.toString()));
        default -> numbers.add(MetadataFields.numberKey(v));
      }
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    if (!strings.isEmpty())
      b.add(new TermInSetQuery(MetadataFields.STRING + key, strings), BooleanClause.Occur.SHOULD);
    if (!booleans.isEmpty())
      b.add(new TermInSetQuery(MetadataFields.BOOLEAN + key, booleans), BooleanClause.Occur.SHOULD);
    if (!numbers.isEmpty()) {
      b.add(
          BinaryPoint.newSetQuery(MetadataFields.NUMBER + key, numbers.toArray(new byte[0][])),
          BooleanClause.Occur.SHOULD);
    }
    return b.build();
  }

  /** Strings by code point, which is the unsigned order of their UTF-8 terms. */
  private static Query stringRange(String key, Condition.Op op, String s) {
    String field = MetadataFields.STRING + key;
    return switch (op) {
      case LT -> TermRangeQuery.newStringRange(field, null, s, true, false);
      case LTE -> TermRangeQuery.newStringRange(field, null, s, true, true);
      case GT -> TermRangeQuery.newStringRange(field, s, null, false, true);
      case GTE -> TermRangeQuery.newStringRange(field, s, null, true, true);
      default -> throw new AssertionError(op);
    };
  }

  /** Numbers by their exact order, as the points of {@link MetadataFields#numberKey} keep it. */
  private static Query numberRange(String key, Condition.Op op, Object v) {
    byte[] bound = MetadataFields.numberKey(v);
    byte[] lower = MetadataFields.minKey();
    byte[] upper = MetadataFields.maxKey();
    switch (op) {
      case LT -> upper = MetadataFields.previous(bound);
      case LTE -> upper = bound;
      case GT -> lower = MetadataFields.next(bound);
      case GTE -> lower = bound;
      default -> throw new AssertionError(op);
    }
    if (lower == null || upper == null) return new MatchNoDocsQuery("no number beyond " + v);
    return BinaryPoint.newRangeQuery(MetadataFields.NUMBER + key, lower, upper);
  }
}
