package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.synthetic.ClusteredVectors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kit, part: what a filter does to the number and quality of hits: min(k, matches) hits,
 * exactly the matches when fewer than k match, and recall@10 against the exact oracle (the helpers
 * of {@link RecallContract}) under filters of four selectivities.
 */
abstract class FilteredRecallContract extends FilterContract {
  FilteredRecallContract() {}

  @Test
  void should_return_k_hits_whenever_k_records_match_and_exactly_the_matches_when_fewer()
      throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    ModelFingerprint fp = fingerprint(16, Similarity.COSINE, false);
    int n = 2000;
    // groups of these sizes (ids 1..7) sit at seeded places; every other record is in group 0
    int[] sizes = {1, 3, 9, 10, 11, 25, 60};
    List<Long> group = new ArrayList<>();
    for (int g = 0; g < sizes.length; g++) for (int i = 0; i < sizes[g]; i++) group.add(g + 1L);
    while (group.size() < n) group.add(0L);
    Collections.shuffle(group, rnd);
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Modality m = rnd.nextBoolean() ? Modality.IMAGE : Modality.TEXT;
      items.add(
          item(FidelityContract.seededId(rnd, i), randomVector(rnd, 16), fp, m)
              .with("g", group.get(i)));
    }
    VectorStore store = createStore(tempDir.resolve("k"), fp);
    store.upsert(items);
    store.commit();
    List<Filter> filters = new ArrayList<>();
    for (long g = 1; g <= sizes.length; g++) filters.add(Filter.where("g").eq(g));
    filters.add(Filter.where("g").in(2L, 3L)); // 12
    filters.add(Filter.where("g").gte(6L)); // 85
    filters.add(Filter.where("g").gt(0L).and(Filter.where("g").lt(4L))); // 13
    filters.add(Filter.where("g").eq(7L).only(Modality.IMAGE)); // about 30
    filters.add(Filter.where("g").in(1L, 4L).only(Modality.TEXT)); // about 5
    filters.add(Filter.where("g").eq(99L));
    for (Filter f : filters) {
      for (int t = 0; t < 3; t++) {
        float[] q = randomVector(rnd, 16);
        List<Item> matching = items.stream().filter(f::matches).toList();
        List<Hit> hits = store.search(q, 10, f);
        String why = ctx(seed) + "filter " + f + " matches " + matching.size() + " of " + n;
        assertThat(hits)
            .as(why + ": min(k=10, matches) hits" + FilterContract.RULE)
            .hasSize(Math.min(10, matching.size()));
        assertThat(hits).as(why + ": best first (Hit.ORDER)").isSortedAccordingTo(Hit.ORDER);
        if (matching.size() <= 10) {
          assertTopK(hits, matching, q, 10, f, fp.similarity(), why + ": every match");
        } else {
          Map<String, float[]> vectors = new HashMap<>();
          for (Item it : matching) vectors.put(it.id(), it.embedding().vector());
          assertThat(new HashSet<>(ids(hits))).as(why + ": distinct hits").hasSize(10);
          assertScoresMatch(hits, vectors, q, fp.similarity(), why + ": each hit a match");
        }
      }
    }
  }

  /**
   * Recall@10 against the exact oracle under filters matching 0.1 %, 1 %, 10 % and 50 % of the
   * records, held to {@link #minimumRecall()}. The corpus has at least 10,000 records so that the
   * 0.1 % filter still matches k = 10 records (a full top 10 for the graph or its exact fallback to
   * find, not the fewer-than-k rule above), and no more than {@link #recallCorpusSize()} asks for.
   */
  @Test
  void should_reach_the_minimum_recall_under_filters_of_every_selectivity() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    int dim = 32;
    ModelFingerprint fp = fingerprint(dim, Similarity.COSINE, false);
    int n = Math.max(recallCorpusSize(), 10_000);
    ClusteredVectors gen = new ClusteredVectors(seed, dim, (int) Math.sqrt(n) / 2, 0.6f);
    float[][] data = gen.sample(seed + 1, n, false);
    float[][] queries = gen.sample(seed + 2, recallQueryCount(), false);
    // "sel" is a seeded permutation of 0..n-1, so "sel < m" matches exactly m records
    List<Long> sel = new ArrayList<>(n);
    for (long i = 0; i < n; i++) sel.add(i);
    Collections.shuffle(sel, rnd);
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Modality m = i % 2 == 0 ? Modality.IMAGE : Modality.TEXT;
      items.add(
          Item.of(FidelityContract.seededId(rnd, i), new Embedding(data[i], fp, m))
              .with("sel", sel.get(i)));
    }
    VectorStore store = createStore(tempDir.resolve("s"), fp);
    store.upsert(items);
    store.commit();
    VectorStore oracle = oracle(fp, items);
    List<String> below = new ArrayList<>();
    for (double selectivity : new double[] {0.001, 0.01, 0.1, 0.5}) {
      long m = Math.round(n * selectivity);
      Filter f = Filter.where("sel").lt(m);
      double r = recall(store, oracle, queries, i -> f);
      String line =
          String.format(
              "filter %s (%.1f %% of %d): recall@10=%.4f (minimum %.2f)",
              f, selectivity * 100, n, r, minimumRecall());
      note(ctx(seed) + line);
      if (r < minimumRecall()) below.add(line);
    }
    assertThat(below)
        .as(ctx(seed) + "filtered searches below the store's minimumRecall()" + FilterContract.RULE)
        .isEmpty();
  }
}
