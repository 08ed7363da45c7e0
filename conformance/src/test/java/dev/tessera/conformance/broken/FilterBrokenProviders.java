package dev.tessera.conformance.broken;

import dev.tessera.api.Condition;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Values;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Broken backends for metadata filters (issue 15): each wraps the memory store and gets one rule of
 * {@link Condition} wrong the way real engines do.
 */
public final class FilterBrokenProviders {
  private FilterBrokenProviders() {}

  /**
   * Evaluates the condition itself over every record of the filter's modalities, with one
   * comparison rule overridden by a subclass; the rest is {@link Condition}'s semantics.
   */
  abstract static class Evaluating extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return ForwardingStore.searchingConditions(
          inner,
          (store, query, k, filter, c) ->
              store.searchKeeping(query, k, filter, h -> matches(c, h.metadata())));
    }

    /** The order of two values, or null when they do not compare; default {@link Values}. */
    Integer compare(Object a, Object b) {
      return Values.compare(a, b);
    }

    /** What a present value of the key, compared as {@code c}, means for the range {@code op}. */
    boolean inRange(Condition.Op op, int c) {
      return new Condition.Compare("c", op, 0L).matches(Metadata.of("c", (long) c));
    }

    /** Whether a record without the key matches {@code !=} and {@code not in}; default yes. */
    boolean negationMatchesMissing() {
      return true;
    }

    /** The metadata as this store sees it; default as written. */
    Metadata view(Metadata m) {
      return m;
    }

    private boolean equal(Object a, Object b) {
      Integer c = compare(a, b);
      return c != null ? c == 0 : a instanceof Boolean && a.equals(b);
    }

    final boolean matches(Condition c, Metadata metadata) {
      Metadata m = view(metadata);
      return switch (c) {
        case Condition.Compare x -> {
          Object v = m.get(x.key());
          if (v == null) yield x.op() == Condition.Op.NE && negationMatchesMissing();
          if (x.op() == Condition.Op.EQ) yield equal(v, x.value());
          if (x.op() == Condition.Op.NE) yield !equal(v, x.value());
          Integer r = compare(v, x.value());
          yield r != null && inRange(x.op(), r);
        }
        case Condition.In x -> {
          Object v = m.get(x.key());
          if (v == null) yield x.negated() && negationMatchesMissing();
          yield x.values().stream().anyMatch(y -> equal(v, y)) != x.negated();
        }
        case Condition.Exists x -> m.containsKey(x.key()) == x.exists();
        case Condition.And x -> x.parts().stream().allMatch(p -> matches(p, metadata));
        case Condition.Or x -> x.parts().stream().anyMatch(p -> matches(p, metadata));
        case Condition.Not x -> !matches(x.inner(), metadata);
      };
    }
  }

  /** Filters the unfiltered top 10 k: a selective filter comes back short. */
  public static final class PostFiltersUnfilteredTopK extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          int fetch = (int) Math.min(10_000, 10L * k);
          return inner.search(query, fetch, Filter.ALL).stream()
              .filter(h -> filter.matches(h.modality(), h.metadata()))
              .limit(k)
              .toList();
        }
      };
    }
  }

  /** SQL's NULL rule: a record without the key matches neither {@code !=} nor {@code not in}. */
  public static final class MissingKeyFailsNegation extends Evaluating {
    @Override
    boolean negationMatchesMissing() {
      return false;
    }
  }

  /** Numbers compare as doubles, so 2^53 + 1 equals 2^53 and Long.MAX_VALUE equals 2^63. */
  public static final class LongsThroughDouble extends Evaluating {
    @Override
    Integer compare(Object a, Object b) {
      if (a instanceof Number x && b instanceof Number y)
        return Integer.signum(Double.compare(x.doubleValue() + 0.0, y.doubleValue() + 0.0));
      return super.compare(a, b);
    }
  }

  /** Doubles compare by {@link Double#compare}, which puts -0.0 below 0.0. */
  public static final class NegativeZeroDistinct extends Evaluating {
    @Override
    Integer compare(Object a, Object b) {
      if (a instanceof Double x && b instanceof Double y)
        return Integer.signum(Double.compare(x, y));
      return super.compare(a, b);
    }
  }

  /** A long never equals or orders with a double (separate long and double fields). */
  public static final class LongsAndDoublesApart extends Evaluating {
    @Override
    Integer compare(Object a, Object b) {
      if (a instanceof Number && b instanceof Number && a.getClass() != b.getClass()) return null;
      return super.compare(a, b);
    }
  }

  /** Strings compare case-insensitively (a lower-casing analyzer), whitespace kept. */
  public static final class CaseInsensitiveStrings extends Evaluating {
    @Override
    Integer compare(Object a, Object b) {
      if (a instanceof String x && b instanceof String y)
        return super.compare(x.toLowerCase(Locale.ROOT), y.toLowerCase(Locale.ROOT));
      return super.compare(a, b);
    }
  }

  /** Strings order by UTF-16 unit ({@link String#compareTo}), not by code point. */
  public static final class Utf16StringOrder extends Evaluating {
    @Override
    Integer compare(Object a, Object b) {
      if (a instanceof String x && b instanceof String y) return Integer.signum(x.compareTo(y));
      return super.compare(a, b);
    }
  }

  /** An empty string is stored as no value at all. */
  public static final class EmptyStringAsMissing extends Evaluating {
    @Override
    Metadata view(Metadata m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (String key : m.keys()) if (!"".equals(m.get(key))) out.put(key, m.get(key));
      return Metadata.of(out);
    }
  }

  /** {@code <=} and {@code >=} leave out the bound itself. */
  public static final class ExclusiveRangeBounds extends Evaluating {
    @Override
    boolean inRange(Condition.Op op, int c) {
      return super.inRange(op, c) && c != 0;
    }
  }

  /** With a metadata condition, the modality part of the filter is dropped. */
  public static final class IgnoresModalityWithCondition extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return ForwardingStore.searchingConditions(
          inner, (store, query, k, filter, c) -> inner.search(query, k, Filter.where(c)));
    }
  }

  /**
   * An inverted index that only ever adds postings: a replaced or deleted-and-rewritten record
   * still matches what its earlier metadata matched.
   */
  public static final class KeepsStalePostings extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      Map<String, List<Metadata>> written = new ConcurrentHashMap<>();
      return new ForwardingStore(inner) {
        @Override
        public void upsert(List<Item> items) throws IOException {
          inner.upsert(items);
          for (Item it : items)
            written.computeIfAbsent(it.id(), id -> new CopyOnWriteArrayList<>()).add(it.metadata());
        }

        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          if (filter.condition().isEmpty()) return inner.search(query, k, filter);
          Condition c = filter.condition().get();
          List<Metadata> none = List.of();
          return searchKeeping(
              query,
              k,
              filter,
              h ->
                  c.matches(h.metadata())
                      || written.getOrDefault(h.id(), none).stream().anyMatch(c::matches));
        }
      };
    }
  }

  /** The kit tests that must catch each of these. */
  static Map<Class<? extends BrokenProviders.Wrapping>, List<String>> caughtBy() {
    String operators = "should_apply_every_comparison_operator_on_every_metadata_type";
    String sets = "should_apply_in_not_in_exists_and_missing_on_every_metadata_type";
    String combined = "should_combine_conditions_with_and_or_not_and_the_modality_filter";
    String negation = "should_match_negations_on_records_missing_the_key_or_holding_another_type";
    String strings = "should_compare_strings_by_code_point_with_case_and_whitespace_significant";
    String numbers = "should_compare_numbers_exactly_across_long_and_double_at_their_boundaries";
    String kHits =
        "should_return_k_hits_whenever_k_records_match_and_exactly_the_matches_when_fewer";
    String recall = "should_reach_the_minimum_recall_under_filters_of_every_selectivity";
    String lifecycle = "should_filter_on_the_current_metadata_after_replace_delete_and_reopen";
    Map<Class<? extends BrokenProviders.Wrapping>, List<String>> m = new LinkedHashMap<>();
    m.put(PostFiltersUnfilteredTopK.class, List.of(kHits, recall));
    m.put(MissingKeyFailsNegation.class, List.of(negation, operators, sets));
    m.put(LongsThroughDouble.class, List.of(numbers, operators));
    m.put(NegativeZeroDistinct.class, List.of(numbers, sets));
    m.put(LongsAndDoublesApart.class, List.of(numbers, sets));
    m.put(CaseInsensitiveStrings.class, List.of(strings, operators));
    m.put(Utf16StringOrder.class, List.of(strings));
    m.put(EmptyStringAsMissing.class, List.of(strings, sets));
    m.put(ExclusiveRangeBounds.class, List.of(numbers, operators));
    m.put(IgnoresModalityWithCondition.class, List.of(combined, negation, kHits));
    m.put(KeepsStalePostings.class, List.of(lifecycle));
    return m;
  }
}
