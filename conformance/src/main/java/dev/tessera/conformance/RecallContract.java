package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.store.memory.MemoryStoreProvider;
import dev.tessera.synthetic.ClipLikeVectors;
import dev.tessera.synthetic.ClusteredVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kit, part: recall against the exact oracle, on clustered vectors and on mixed-modality
 * CLIP-like vectors.
 */
abstract class RecallContract extends SearchContract {
  RecallContract() {}

  @ParameterizedTest(name = "dim={0}, {1}")
  @CsvSource({
    "64, COSINE",
    "64, DOT_PRODUCT",
    "64, EUCLIDEAN",
    "512, COSINE",
    "512, DOT_PRODUCT",
    "512, EUCLIDEAN"
  })
  void should_reach_the_minimum_recall_on_clustered_vectors(int dim, Similarity sim)
      throws IOException {
    long seed = printSeed();
    // Dot product is used as CLIP uses it, on unit vectors; cosine and euclidean get raw vectors.
    boolean unit = sim == Similarity.DOT_PRODUCT;
    ModelFingerprint fp = fingerprint(dim, sim, unit);
    int n = recallCorpusSize();
    ClusteredVectors gen =
        new ClusteredVectors(seed, dim, Math.max(4, (int) Math.sqrt(n) / 2), 0.6f);
    float[][] data = gen.sample(seed + 1, n, unit);
    float[][] queries = gen.sample(seed + 2, recallQueryCount(), unit);
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++)
      items.add(
          Item.of(
              "v" + i, new Embedding(data[i], fp, i % 2 == 0 ? Modality.IMAGE : Modality.TEXT)));
    double recall = recall(fp, items, queries, Filter.ALL, "dim=" + dim + " " + sim.id());
    assertThat(recall)
        .as(ctx(seed) + "recall@10 on " + n + " clustered " + dim + "-d vectors, " + sim.id())
        .isGreaterThanOrEqualTo(minimumRecall());
  }

  @Test
  void should_reach_the_minimum_recall_on_mixed_modality_clip_like_vectors() throws IOException {
    long seed = printSeed();
    // CLIP's modality gap: texts and images form two islands; queries of both kinds must reach
    // both.
    ClipLikeVectors gen = ClipLikeVectors.defaults(seed);
    int dim = gen.dimension();
    ModelFingerprint fp = gen.fingerprint();
    int n = recallCorpusSize();
    List<ClipLikeVectors.Sample> corpus = gen.sample(n, 0);
    List<ClipLikeVectors.Sample> qs = gen.sample(recallQueryCount(), 1);
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++)
      items.add(
          Item.of("v" + i, new Embedding(corpus.get(i).vector(), fp, corpus.get(i).modality())));
    float[][] queries = qs.stream().map(ClipLikeVectors.Sample::vector).toArray(float[][]::new);
    VectorStore store = createStore(tempDir.resolve("s"), fp);
    VectorStore oracle = oracle(fp, items);
    store.upsert(items);
    store.commit();
    // both modalities at once, then cross-modal (text query -> images, image query -> texts), then
    // same-modality
    double all = recall(store, oracle, queries, i -> Filter.ALL);
    double cross =
        recall(store, oracle, queries, i -> Filter.modality(opposite(qs.get(i).modality())));
    double same = recall(store, oracle, queries, i -> Filter.modality(qs.get(i).modality()));
    note(
        String.format(
            "%smixed-modality CLIP-like n=%d dim=%d gap=%.2f: recall@10 all=%.4f"
                + " cross-modal=%.4f same-modality=%.4f",
            ctx(seed), n, dim, gen.gap(), all, cross, same));
    assertThat(all)
        .as(ctx(seed) + "mixed-modality recall@10, no filter")
        .isGreaterThanOrEqualTo(minimumRecall());
    assertThat(cross)
        .as(ctx(seed) + "mixed-modality recall@10, cross-modal filter")
        .isGreaterThanOrEqualTo(minimumRecall());
    assertThat(same)
        .as(ctx(seed) + "mixed-modality recall@10, same-modality filter")
        .isGreaterThanOrEqualTo(minimumRecall());
  }

  static Modality opposite(Modality m) {
    return m == Modality.TEXT ? Modality.IMAGE : Modality.TEXT;
  }

  VectorStore oracle(ModelFingerprint fp, List<Item> items) throws IOException {
    Path dir = tempDir.resolve("oracle");
    Files.createDirectories(dir);
    VectorStore oracle = track(new MemoryStoreProvider().create(StoreContext.of(dir), fp));
    oracle.upsert(items);
    return oracle;
  }

  double recall(
      ModelFingerprint fp, List<Item> items, float[][] queries, Filter filter, String what)
      throws IOException {
    VectorStore store = createStore(tempDir.resolve("s"), fp);
    store.upsert(items);
    store.commit();
    double r = recall(store, oracle(fp, items), queries, i -> filter);
    note(
        String.format(
            "%s%s n=%d queries=%d: recall@10=%.4f (minimum %.2f)",
            ctx(seed()), what, items.size(), queries.length, r, minimumRecall()));
    return r;
  }

  static double recall(
      VectorStore store,
      VectorStore oracle,
      float[][] queries,
      java.util.function.IntFunction<Filter> filter)
      throws IOException {
    double sum = 0;
    for (int i = 0; i < queries.length; i++) {
      Filter f = filter.apply(i);
      Set<String> truth = new HashSet<>(ids(oracle.search(queries[i], 10, f)));
      List<Hit> hits = store.search(queries[i], 10, f);
      long found = hits.stream().filter(h -> truth.contains(h.id())).count();
      sum += truth.isEmpty() ? 1 : (double) found / truth.size();
    }
    return sum / queries.length;
  }
}
