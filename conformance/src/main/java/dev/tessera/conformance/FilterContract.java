package dev.tessera.conformance;

import static dev.tessera.conformance.FilterCorpus.B;
import static dev.tessera.conformance.FilterCorpus.D;
import static dev.tessera.conformance.FilterCorpus.L;
import static dev.tessera.conformance.FilterCorpus.MISSING;
import static dev.tessera.conformance.FilterCorpus.N;
import static dev.tessera.conformance.FilterCorpus.NONE;
import static dev.tessera.conformance.FilterCorpus.S;
import static dev.tessera.conformance.FilterCorpus.TWO_53;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Condition;
import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.Source;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kit, part: metadata filters inside the search, as {@link dev.tessera.api.Condition}'s javadoc
 * defines them: every operator on every type, and / or / not with the modality, negation on records
 * without the key or with another type, exact strings, exact numbers at their boundaries, k hits
 * whenever k records match, and recall against the exact oracle at four selectivities.
 */
abstract class FilterContract extends RecallContract {
  /** The rule every failure here cites. */
  static final String RULE = " (Condition javadoc; Filter: applied inside the search)";

  /** Records in the operator tests: each pool value several times over, both modalities. */
  static final int OPERATOR_CORPUS = 240;

  FilterContract() {}

  @Test
  void should_apply_every_comparison_operator_on_every_metadata_type() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    FilterCorpus c = storeCorpus(seed);
    float[] q = randomVector(rnd, SMALL.dimension());
    for (String key : List.of(S, L, D, B, N)) {
      for (Filter f : FilterCorpus.comparisons(key, rnd)) assertFilter(c, q, f, ctx(seed));
    }
  }

  @Test
  void should_apply_in_not_in_exists_and_missing_on_every_metadata_type() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    FilterCorpus c = storeCorpus(seed);
    float[] q = randomVector(rnd, SMALL.dimension());
    for (String key : List.of(S, L, D, B, N, NONE)) {
      Filter.Key k = Filter.where(key);
      assertFilter(c, q, k.exists(), ctx(seed));
      assertFilter(c, q, k.missing(), ctx(seed));
      List<Object> bounds = key.equals(NONE) ? List.of("x", 1L) : FilterCorpus.bounds(key, rnd);
      for (int t = 0; t < 12; t++) {
        List<Object> set = new ArrayList<>();
        for (int i = 0, size = 1 + rnd.nextInt(4); i < size; i++)
          set.add(bounds.get(rnd.nextInt(bounds.size())));
        assertFilter(c, q, k.in(set), ctx(seed));
        assertFilter(c, q, k.notIn(set), ctx(seed));
      }
    }
    assertValues(c, q, Filter.where(S).in("", " "), S, Set.of("", " "), ctx(seed));
    assertValues(c, q, Filter.where(N).in(2024L, "2023"), N, Set.of(2024L, 2024.0), ctx(seed));
    assertValues(c, q, Filter.where(D).in(0L), D, Set.of(0.0, -0.0), ctx(seed));
  }

  @Test
  void should_combine_conditions_with_and_or_not_and_the_modality_filter() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    FilterCorpus c = storeCorpus(seed);
    float[] q = randomVector(rnd, SMALL.dimension());
    for (int t = 0; t < 60; t++) {
      Filter f = FilterCorpus.tree(rnd, 1 + rnd.nextInt(3));
      assertFilter(c, q, f, ctx(seed));
      for (Modality m : Modality.values()) assertFilter(c, q, f.only(m), ctx(seed));
    }
    for (Modality m : Modality.values()) {
      assertFilter(c, q, Filter.where(B).eq(true).only(m), ctx(seed));
      assertFilter(c, q, Filter.where(B).eq(true).only(m).not(), ctx(seed));
      assertFilter(c, q, Filter.modality(m).and(Filter.where(S).exists()), ctx(seed));
    }
  }

  @Test
  void should_match_negations_on_records_missing_the_key_or_holding_another_type()
      throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    FilterCorpus c = storeCorpus(seed);
    float[] q = randomVector(rnd, SMALL.dimension());
    List<Filter[]> pairs = new ArrayList<>();
    for (String key : List.of(S, L, D, B, N, NONE)) {
      Filter.Key k = Filter.where(key);
      pairs.add(new Filter[] {k.exists(), k.missing()});
      Object v =
          key.equals(NONE)
              ? "x"
              : FilterCorpus.POOLS.get(key).get(rnd.nextInt(FilterCorpus.POOLS.get(key).size()));
      pairs.add(new Filter[] {k.eq(v), k.ne(v)});
      pairs.add(new Filter[] {k.in(v, 2024L), k.notIn(v, 2024L)});
      pairs.add(new Filter[] {k.eq(v), k.eq(v).not()});
      if (!(v instanceof Boolean)) pairs.add(new Filter[] {k.lt(v), k.lt(v).not()});
    }
    for (Filter[] p : pairs) {
      for (Modality m : Modality.values()) {
        Filter pos = p[0].only(m);
        Filter neg = p[1].only(m);
        Set<String> positive = found(c, q, pos);
        String key = keyOf(p[1]);
        List<String> withoutKey = new ArrayList<>();
        for (Item it : c.items) if (!it.metadata().containsKey(key)) withoutKey.add(it.id());
        assertThat(positive)
            .as(ctx(seed) + "%s is positive: no record without '%s' matches it" + RULE, pos, key)
            .doesNotContainAnyElementsOf(withoutKey);
        Set<String> expected = new LinkedHashSet<>();
        for (Item it : c.items)
          if (it.modality() == m && !positive.contains(it.id())) expected.add(it.id());
        assertThat(found(c, q, neg))
            .as(
                ctx(seed)
                    + "%s must match exactly the %s records that %s does not match (records without"
                    + " the key or with another type included)"
                    + RULE,
                neg,
                m.id(),
                pos)
            .isEqualTo(expected);
        assertFilter(c, q, neg, ctx(seed));
      }
    }
  }

  @Test
  void should_compare_strings_by_code_point_with_case_and_whitespace_significant()
      throws IOException {
    long seed = printSeed();
    FilterCorpus c = storeCorpus(seed);
    float[] q = randomVector(new Random(seed), SMALL.dimension());
    String why = ctx(seed);
    assertValues(c, q, Filter.where(S).eq("a"), S, Set.of("a"), why);
    assertValues(c, q, Filter.where(S).eq(""), S, Set.of(""), why);
    assertValues(c, q, Filter.where(S).eq(" "), S, Set.of(" "), why);
    assertValues(c, q, Filter.where(S).eq("B"), S, Set.of("B"), why);
    assertValues(c, q, Filter.where(S).eq("ß"), S, Set.of("ß"), why);
    assertValues(c, q, Filter.where(S).eq("é"), S, Set.of("é"), why);
    assertValues(c, q, Filter.where(S).eq("🐱"), S, Set.of("🐱"), why);
    assertValues(c, q, Filter.where(S).in("A", "a "), S, Set.of("A", "a "), why);
    assertValues(c, q, Filter.where(S).lte(""), S, Set.of(""), why);
    assertValues(c, q, Filter.where(S).lt(" a"), S, Set.of("", " "), why);
    assertValues(c, q, Filter.where(S).gt("ｚ"), S, Set.of("🐱", "🐱🐶"), why);
    assertValues(c, q, Filter.where(S).gte("日本"), S, Set.of("日本", "日本語", "ｚ", "🐱", "🐱🐶"), why);
    assertValues(
        c,
        q,
        Filter.where(S).gt("z"),
        S,
        Set.of("é", "ß", "日本", "日本語", "中文", "ｚ", "🐱", "🐱🐶"),
        why);
    assertValues(c, q, Filter.where(S).lt("B"), S, Set.of("", " ", " a", "A"), why);
    assertValues(c, q, Filter.where(S).exists(), S, new HashSet<>(FilterCorpus.STRINGS), why);
    Set<Object> notEmpty = new HashSet<>(FilterCorpus.STRINGS);
    notEmpty.remove("");
    notEmpty.add(MISSING);
    assertValues(c, q, Filter.where(S).ne(""), S, notEmpty, why);
  }

  @Test
  void should_compare_numbers_exactly_across_long_and_double_at_their_boundaries()
      throws IOException {
    long seed = printSeed();
    FilterCorpus c = storeCorpus(seed);
    float[] q = randomVector(new Random(seed), SMALL.dimension());
    String why = ctx(seed);
    Set<Object> above53 = Set.of(TWO_53 + 1, TWO_53 + 2, Long.MAX_VALUE - 1, Long.MAX_VALUE);
    assertValues(c, q, Filter.where(L).eq(TWO_53 + 1), L, Set.of(TWO_53 + 1), why);
    assertValues(c, q, Filter.where(L).eq((double) TWO_53), L, Set.of(TWO_53), why);
    assertValues(c, q, Filter.where(L).gt(TWO_53), L, above53, why);
    assertValues(c, q, Filter.where(L).gt((double) TWO_53), L, above53, why);
    assertValues(c, q, Filter.where(L).gte(TWO_53 + 1), L, above53, why);
    assertValues(c, q, Filter.where(L).lte(Long.MIN_VALUE), L, Set.of(Long.MIN_VALUE), why);
    assertValues(c, q, Filter.where(L).lt(Long.MIN_VALUE + 1), L, Set.of(Long.MIN_VALUE), why);
    assertValues(c, q, Filter.where(L).gte(Long.MAX_VALUE), L, Set.of(Long.MAX_VALUE), why);
    assertValues(c, q, Filter.where(L).gt(Long.MAX_VALUE - 1), L, Set.of(Long.MAX_VALUE), why);
    assertValues(c, q, Filter.where(L).gt(Long.MAX_VALUE), L, Set.of(), why);
    assertValues(c, q, Filter.where(L).gte(0x1p63), L, Set.of(), why);
    assertValues(c, q, Filter.where(L).lte(-0x1p63), L, Set.of(Long.MIN_VALUE), why);
    assertValues(c, q, Filter.where(L).eq(-0.0), L, Set.of(0L), why);
    assertValues(c, q, Filter.where(D).eq(0.0), D, Set.of(0.0, -0.0), why);
    assertValues(c, q, Filter.where(D).eq(-0.0), D, Set.of(0.0, -0.0), why);
    assertValues(c, q, Filter.where(D).lt(0.0), D, Set.of(-1e300, -1.5, -Double.MIN_VALUE), why);
    Set<Object> aboveZero = Set.of(Double.MIN_VALUE, 0.1, 1.5, (double) TWO_53, 1e300);
    assertValues(c, q, Filter.where(D).gt(-0.0), D, aboveZero, why);
    assertValues(c, q, Filter.where(D).gt(0L), D, aboveZero, why);
    Set<Object> notNegative = new HashSet<>(aboveZero);
    notNegative.addAll(Set.of(0.0, -0.0));
    assertValues(c, q, Filter.where(D).gte(-0.0), D, notNegative, why);
    assertValues(c, q, Filter.where(D).eq(TWO_53), D, Set.of((double) TWO_53), why);
    assertValues(c, q, Filter.where(D).eq(TWO_53 + 1), D, Set.of(), why);
    assertValues(c, q, Filter.where(D).lt(TWO_53 + 1), D, lessThan53(), why);
    assertValues(c, q, Filter.where(N).eq(2024L), N, Set.of(2024L, 2024.0), why);
    assertValues(c, q, Filter.where(N).eq(2024.0), N, Set.of(2024L, 2024.0), why);
    assertValues(c, q, Filter.where(N).lt(2024.5), N, Set.of(2024L, 2024.0, 2023L, 0L, -0.0), why);
    assertValues(
        c,
        q,
        Filter.where(N).gte(2024L),
        N,
        Set.of(2024L, 2024.0, 2024.5, TWO_53 + 1, (double) TWO_53),
        why);
    assertValues(c, q, Filter.where(N).gt((double) TWO_53), N, Set.of(TWO_53 + 1), why);
    assertValues(c, q, Filter.where(N).eq("2024"), N, Set.of("2024"), why);
    assertValues(c, q, Filter.where(N).eq(true), N, Set.of(true), why);
  }

  private static Set<Object> lessThan53() {
    Set<Object> s = new HashSet<>(FilterCorpus.DOUBLES);
    s.remove(1e300);
    return s;
  }

  @Test
  void should_filter_on_the_current_metadata_after_replace_delete_and_reopen() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    FilterCorpus c = storeCorpus(seed);
    Map<String, Item> current = new LinkedHashMap<>();
    for (Item it : c.items) current.put(it.id(), it);
    // a third replaced by another record's metadata with one key changed in type or removed, and
    // maybe another modality; a fifth deleted, two of those written again
    List<Item> replaced = new ArrayList<>();
    for (int i = 0; i < c.items.size(); i += 3) {
      Item donor = c.items.get(rnd.nextInt(c.items.size()));
      Metadata meta =
          rnd.nextBoolean()
              ? donor.metadata().with(S, rnd.nextLong())
              : donor.metadata().without(N);
      Modality m = rnd.nextBoolean() ? Modality.IMAGE : Modality.TEXT;
      Embedding e = new Embedding(randomVector(rnd, SMALL.dimension()), c.fingerprint, m);
      replaced.add(new Item(c.items.get(i).id(), e, meta, Source.NONE));
    }
    corpusStore.upsert(replaced);
    replaced.forEach(it -> current.put(it.id(), it));
    List<String> deleted = new ArrayList<>();
    for (int i = 1; i < c.items.size(); i += 5) deleted.add(c.items.get(i).id());
    corpusStore.delete(deleted);
    deleted.forEach(current::remove);
    List<Item> back = new ArrayList<>();
    for (String id : deleted.subList(0, 2)) {
      Embedding e =
          new Embedding(randomVector(rnd, SMALL.dimension()), c.fingerprint, Modality.TEXT);
      back.add(new Item(id, e, Metadata.of(Map.of(S, "back", L, 7L)), Source.NONE));
    }
    corpusStore.upsert(back);
    back.forEach(it -> current.put(it.id(), it));
    List<Filter> filters = new ArrayList<>();
    filters.add(Filter.where(S).gte(Long.MIN_VALUE)); // the string key's new long values
    filters.add(Filter.where(S).exists());
    filters.add(Filter.where(N).missing());
    filters.add(Filter.where(S).eq("back").only(Modality.TEXT));
    for (int t = 0; t < 30; t++) filters.add(FilterCorpus.tree(rnd, rnd.nextInt(3)));
    float[] q = randomVector(rnd, SMALL.dimension());
    Path dir = tempDir.resolve("filters");
    for (String phase : List.of("before commit", "after commit", "after reopen")) {
      VectorStore store = corpusStore;
      if (phase.equals("after commit")) store.commit();
      if (phase.equals("after reopen")) {
        store.close();
        assumePersistent("the rest of this test filters after a reopen");
        store = openStore(dir, false);
      }
      List<Item> records = List.copyOf(current.values());
      for (Filter f : filters) assertFilter(store, records, q, f, ctx(seed) + phase + ": ");
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The one key a leaf filter's condition (or its negation) names. */
  private static String keyOf(Filter f) {
    Condition c = f.condition().orElseThrow();
    if (c instanceof Condition.Not n) c = n.inner();
    return switch (c) {
      case Condition.Compare x -> x.key();
      case Condition.In x -> x.key();
      case Condition.Exists x -> x.key();
      default -> throw new IllegalArgumentException("not a leaf: " + f);
    };
  }

  private VectorStore corpusStore;

  /** The operator corpus in a fresh store, committed. */
  private FilterCorpus storeCorpus(long seed) throws IOException {
    FilterCorpus corpus = FilterCorpus.of(seed, OPERATOR_CORPUS, SMALL);
    corpusStore = createStore(tempDir.resolve("filters"), SMALL);
    corpusStore.upsert(corpus.items);
    corpusStore.commit();
    return corpus;
  }

  /** The ids the store returns for {@code f} when k is the whole corpus. */
  private Set<String> found(FilterCorpus c, float[] q, Filter f) throws IOException {
    return found(corpusStore, c.items.size(), q, f);
  }

  private static Set<String> found(VectorStore store, int n, float[] q, Filter f)
      throws IOException {
    return new LinkedHashSet<>(ids(store.search(q, Math.max(1, n), f)));
  }

  /**
   * The store returns exactly the records {@code f} matches when k covers them all, and the exact
   * top 10 of those for k = 10.
   */
  void assertFilter(FilterCorpus c, float[] q, Filter f, String why) throws IOException {
    assertFilter(corpusStore, c.items, q, f, why);
  }

  /** {@link #assertFilter(FilterCorpus, float[], Filter, String)} on any store and its records. */
  void assertFilter(VectorStore store, List<Item> items, float[] q, Filter f, String why)
      throws IOException {
    Set<String> expected = new LinkedHashSet<>();
    Map<String, Item> byId = new java.util.HashMap<>();
    for (Item it : items) {
      byId.put(it.id(), it);
      if (f.matches(it)) expected.add(it.id());
    }
    Set<String> got = found(store, items.size(), q, f);
    if (!got.equals(expected)) {
      List<String> extra = new ArrayList<>();
      List<String> missed = new ArrayList<>();
      for (String id : got) if (!expected.contains(id)) extra.add(describe(byId.get(id), id));
      for (String id : expected) if (!got.contains(id)) missed.add(describe(byId.get(id), id));
      throw new AssertionError(
          why
              + "records matching "
              + f
              + RULE
              + ": expected "
              + expected.size()
              + ", got "
              + got.size()
              + "; returned but not matching: "
              + head(extra)
              + "; matching but not returned: "
              + head(missed));
    }
    assertTopK(store.search(q, 10, f), items, q, 10, f, SMALL.similarity(), why + "filter " + f);
  }

  /**
   * The values of {@code key} among the records the store returns for {@code f} are exactly {@code
   * values} ({@link FilterCorpus#MISSING} for records without the key); then {@link #assertFilter}.
   */
  void assertValues(FilterCorpus c, float[] q, Filter f, String key, Set<Object> values, String why)
      throws IOException {
    Set<Object> got = new HashSet<>();
    for (Hit h : corpusStore.search(q, c.items.size(), f))
      got.add(FilterCorpus.valueOf(h.metadata(), key));
    assertThat(got)
        .as(why + "values of '" + key + "' among the hits of " + f + RULE)
        .containsExactlyInAnyOrderElementsOf(values);
    assertFilter(c, q, f, why);
  }

  private static String describe(Item it, String id) {
    return it == null
        ? "'" + id + "' (no such record)"
        : "'" + id + "' " + it.modality().id() + " " + it.metadata();
  }

  private static String head(List<String> list) {
    return list.size() <= 5
        ? list.toString()
        : list.subList(0, 5) + " and " + (list.size() - 5) + " more";
  }
}
