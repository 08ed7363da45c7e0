package dev.tessera.langchain4j;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import dev.tessera.api.Condition;
import dev.tessera.api.Condition.Op;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * LangChain4j's metadata {@link Filter} as a Tessera {@link Condition}, so the stores apply it
 * inside the search. Values are converted as {@link MetadataMapping} stores them (UUID as its
 * String form, Integer as Long, Float as Double); the semantics agree with LangChain4j's for the
 * types it supports: a record without the key matches only the negative forms ({@code
 * isNotEqualTo}, {@code isNotIn}, {@code not}). {@link ContainsString} has no Tessera counterpart
 * and is refused with {@link UnsupportedOperationException}, as LangChain4j's store contract asks.
 */
final class FilterMapping {
  private FilterMapping() {}

  /** The Tessera condition equivalent to {@code filter}. */
  static Condition toCondition(Filter filter) {
    return switch (filter) {
      case IsEqualTo f -> compare(f.key(), Op.EQ, f.comparisonValue());
      case IsNotEqualTo f -> compare(f.key(), Op.NE, f.comparisonValue());
      case IsGreaterThan f -> compare(f.key(), Op.GT, f.comparisonValue());
      case IsGreaterThanOrEqualTo f -> compare(f.key(), Op.GTE, f.comparisonValue());
      case IsLessThan f -> compare(f.key(), Op.LT, f.comparisonValue());
      case IsLessThanOrEqualTo f -> compare(f.key(), Op.LTE, f.comparisonValue());
      case IsIn f -> new Condition.In(f.key(), values(f.comparisonValues()), false);
      case IsNotIn f -> new Condition.In(f.key(), values(f.comparisonValues()), true);
      case And f -> new Condition.And(List.of(toCondition(f.left()), toCondition(f.right())));
      case Or f -> new Condition.Or(List.of(toCondition(f.left()), toCondition(f.right())));
      case Not f -> new Condition.Not(toCondition(f.expression()));
      case ContainsString f ->
          throw new UnsupportedOperationException(
              "Tessera's LangChain4j store does not support containsString (key '"
                  + f.key()
                  + "'): Tessera filters compare whole values. Use isEqualTo or isIn, or filter"
                  + " the results yourself.");
      default ->
          throw new UnsupportedOperationException(
              "Tessera's LangChain4j store does not support the filter "
                  + filter
                  + " ("
                  + filter.getClass().getName()
                  + "); supported: isEqualTo, isNotEqualTo, isGreaterThan(OrEqualTo),"
                  + " isLessThan(OrEqualTo), isIn, isNotIn, and, or, not.");
    };
  }

  private static Condition compare(String key, Op op, Object value) {
    return new Condition.Compare(key, op, value(value));
  }

  private static List<Object> values(Collection<?> values) {
    List<Object> out = new ArrayList<>(values.size());
    for (Object v : values) out.add(value(v));
    return out;
  }

  private static Object value(Object v) {
    return v instanceof UUID u ? u.toString() : v;
  }
}
