package dev.tessera.index.jvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.ClosedException;
import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.Source;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.StoreSamples;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.api.spi.VectorStores;
import dev.tessera.store.memory.MemoryStoreProvider;
import dev.tessera.synthetic.ClipLikeVectors;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JVectorStoreTest {
  private static final long SEED = Long.getLong("tessera.seed", 20261128L);
  private static final ModelFingerprint FP =
      ModelFingerprint.declared("test/rand", 32, Similarity.COSINE, false, "t1");
  private final JVectorStoreProvider provider = new JVectorStoreProvider();

  @TempDir Path dir;

  static {
    System.out.println(
        "JVectorStoreTest seed=" + SEED + " (rerun with -Dtessera.seed=" + SEED + ")");
  }

  private static float[] vec(Random r, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) v[i] = (float) r.nextGaussian();
    return v;
  }

  private static Item item(String id, float[] v, Modality m, String bucket) {
    return new Item(
        id, new Embedding(v, FP, m), Map.of("bucket", bucket), Source.text("text of " + id));
  }

  private static List<Item> randomItems(Random r, int n, String prefix) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(
          item(
              prefix + i,
              vec(r, FP.dimension()),
              i % 3 == 0 ? Modality.IMAGE : Modality.TEXT,
              Integer.toString(i % 200)));
    }
    return items;
  }

  private VectorStore create(Map<String, String> settings) throws IOException {
    return provider.create(new StoreContext(dir, settings, false), FP);
  }

  private VectorStore reopen() throws IOException {
    return provider.open(new StoreContext(dir, Map.of(), false));
  }

  @Test
  void should_be_found_by_name_through_service_loader() {
    assertThat(VectorStores.provider("jvector")).isInstanceOf(JVectorStoreProvider.class);
    assertThat(provider.settingNames())
        .contains("max-degree", "graph-per-modality", "pq-subspaces");
  }

  @Test
  void should_refuse_an_unknown_or_bad_setting_with_its_name() {
    assertThatThrownBy(() -> create(Map.of("max-dgree", "8")))
        .hasMessageContaining("max-dgree")
        .hasMessageContaining("max-degree");
    assertThatThrownBy(() -> create(Map.of("alpha", "-1"))).hasMessageContaining("alpha=-1");
  }

  @Test
  void should_get_replace_delete_and_count() throws IOException {
    Random r = new Random(SEED);
    try (VectorStore s = create(Map.of())) {
      s.upsert(randomItems(r, 50, "a"));
      assertThat(s.count()).isEqualTo(50);
      float[] v = vec(r, 32);
      Item replacement =
          new Item(
              "a7",
              new Embedding(v, FP, Modality.IMAGE),
              Map.of("k", "new"),
              Source.image("x.jpg"));
      s.upsert(List.of(replacement));
      assertThat(s.count()).isEqualTo(50);
      Item got = s.get("a7").orElseThrow();
      assertThat(got.embedding().vector()).containsExactly(v);
      assertThat(got.metadata().asMap()).containsExactly(Map.entry("k", "new"));
      assertThat(got.source()).isEqualTo(Source.image("x.jpg"));
      assertThat(got.modality()).isEqualTo(Modality.IMAGE);
      s.delete(List.of("a3", "nope"));
      assertThat(s.get("a3")).isEmpty();
      assertThat(s.count()).isEqualTo(49);
      List<String> seen = new ArrayList<>();
      s.forEach(i -> seen.add(i.id()));
      assertThat(seen).hasSize(49).doesNotContain("a3").contains("a7");
    }
  }

  @Test
  void should_never_return_deleted_or_replaced_records_from_the_graph() throws IOException {
    Random r = new Random(SEED + 1);
    List<Item> items = randomItems(r, 3000, "d");
    try (VectorStore s = create(Map.of("exact-search-below", "0"))) {
      s.upsert(items);
      s.commit();
      Set<String> deleted = new HashSet<>();
      for (int i = 0; i < 3000; i += 3) deleted.add("d" + i);
      s.delete(new ArrayList<>(deleted));
      for (int q = 0; q < 30; q++) {
        float[] query =
            items.get(q * 3).embedding().vector(); // each query is a deleted record's vector
        List<Hit> hits = s.search(query, 10, Filter.ALL);
        assertThat(hits).hasSize(10);
        assertThat(hits).extracting(Hit::id).doesNotContainAnyElementsOf(deleted);
      }
      s.commit();
      try (VectorStore o = reopenAfterClose(s)) {
        assertThat(o.count()).isEqualTo(2000);
        assertThat(o.search(items.get(0).embedding().vector(), 10, Filter.ALL))
            .extracting(Hit::id)
            .doesNotContainAnyElementsOf(deleted);
      }
    }
  }

  private VectorStore reopenAfterClose(VectorStore s) throws IOException {
    s.close();
    return reopen();
  }

  @Test
  void should_read_its_own_writes_before_commit_and_discard_them_on_close() throws IOException {
    Random r = new Random(SEED + 2);
    try (VectorStore s = create(Map.of())) {
      s.upsert(randomItems(r, 10, "c"));
      s.commit();
      s.upsert(randomItems(r, 5, "u"));
      s.delete(List.of("c1"));
      assertThat(s.count()).isEqualTo(14);
      assertThat(
              s.search(s.get("u2").orElseThrow().embedding().vector(), 1, Filter.ALL).get(0).id())
          .isEqualTo("u2");
    }
    try (VectorStore s = reopen()) {
      assertThat(s.count()).isEqualTo(10);
      assertThat(s.get("c1")).isPresent();
      assertThat(s.get("u2")).isEmpty();
    }
  }

  @Test
  void should_reopen_with_graph_vectors_records_and_fingerprint() throws IOException {
    Random r = new Random(SEED + 3);
    List<Item> items = randomItems(r, 2500, "p");
    float[] q = vec(r, 32);
    List<Hit> before;
    try (VectorStore s = create(Map.of("exact-search-below", "0"))) {
      s.upsert(items);
      s.commit();
      before = s.search(q, 10, Filter.ALL);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains(
              "jvector.manifest", "g1.graph-text", "g1.graph-image", "g1.vectors", "g1.records");
    }
    try (VectorStore s = reopen()) {
      assertThat(s.fingerprint()).isEqualTo(FP);
      assertThat(s.fingerprint().name()).isEqualTo("test/rand");
      assertThat(s.count()).isEqualTo(2500);
      assertThat(s.search(q, 10, Filter.ALL)).isEqualTo(before);
      Item i = s.get("p17").orElseThrow();
      assertThat(i).isEqualTo(items.get(17));
      // Incremental inserts keep working on the loaded graph.
      float[] v = vec(r, 32);
      s.upsert(List.of(item("late", v, Modality.TEXT, "x")));
      assertThat(s.search(v, 1, Filter.ALL).get(0).id()).isEqualTo("late");
      s.commit();
    }
    try (VectorStore s = reopen()) {
      assertThat(s.count()).isEqualTo(2501);
    }
  }

  @Test
  void should_score_exactly_like_the_memory_store_and_break_ties_by_id() throws IOException {
    Random r = new Random(SEED + 4);
    List<Item> items = randomItems(r, 2000, "s");
    // Three identical vectors: equal scores must come back ordered by id.
    float[] twin = vec(r, 32);
    items.add(item("tie-b", twin, Modality.TEXT, "t"));
    items.add(item("tie-a", twin, Modality.TEXT, "t"));
    items.add(item("tie-c", twin, Modality.IMAGE, "t"));
    Path memDir = dir.resolve("memory");
    Path jvDir = dir.resolve("jv");
    Files.createDirectories(memDir);
    Files.createDirectories(jvDir);
    VectorStoreProvider memory = new MemoryStoreProvider();
    try (VectorStore m = memory.create(StoreContext.of(memDir), FP);
        VectorStore j =
            provider.create(
                new StoreContext(jvDir, Map.of("exact-search-below", "0"), false), FP)) {
      m.upsert(items);
      j.upsert(items);
      List<Hit> ties = j.search(twin, 3, Filter.ALL);
      assertThat(ties).extracting(Hit::id).containsExactly("tie-a", "tie-b", "tie-c");
      int agree = 0;
      for (int q = 0; q < 20; q++) {
        float[] query = vec(r, 32);
        List<Hit> want = m.search(query, 10, Filter.ALL);
        List<Hit> got = j.search(query, 10, Filter.ALL);
        for (Hit h : got) {
          Hit w = want.stream().filter(x -> x.id().equals(h.id())).findFirst().orElse(null);
          if (w != null) {
            agree++;
            assertThat(h.score()).isCloseTo(w.score(), org.assertj.core.data.Offset.offset(1e-5f));
          }
          float exact =
              QueryScorer.of(Similarity.COSINE, query)
                  .score(j.get(h.id()).orElseThrow().embedding().vector());
          assertThat(h.score()).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(got).isSortedAccordingTo(Hit.ORDER);
      }
      assertThat(agree).as("hits shared with the exact store").isGreaterThan(180);
    }
  }

  @Test
  void should_apply_filters_inside_the_search_even_when_under_one_percent_match()
      throws IOException {
    Random r = new Random(SEED + 5);
    List<Item> items = randomItems(r, 6000, "f"); // bucket = i % 200: each bucket holds 0.5 %
    try (VectorStore s = create(Map.of())) {
      s.upsert(items);
      s.commit();
      for (String bucket : new String[] {"7", "123"}) {
        Filter f = Filter.where("bucket").eq(bucket);
        List<Hit> hits = s.search(vec(r, 32), 10, f);
        assertThat(hits).hasSize(10);
        assertThat(hits).allSatisfy(h -> assertThat(h.metadata().get("bucket")).isEqualTo(bucket));
      }
      Filter images = Filter.modality(Modality.IMAGE);
      assertThat(s.search(vec(r, 32), 25, images))
          .hasSize(25)
          .allSatisfy(h -> assertThat(h.modality()).isEqualTo(Modality.IMAGE));
      // A selective filter through the graph path too (exact fallback disabled).
    }
    try (VectorStore s =
        provider.open(new StoreContext(dir, Map.of("exact-search-below", "0"), false))) {
      Filter f = Filter.where("bucket").eq("11").only(Modality.TEXT);
      List<Hit> hits = s.search(vec(r, 32), 10, f);
      assertThat(hits)
          .hasSize(10)
          .allSatisfy(
              h -> {
                assertThat(h.metadata().get("bucket")).isEqualTo("11");
                assertThat(h.modality()).isEqualTo(Modality.TEXT);
              });
    }
  }

  @Test
  void should_refuse_a_flipped_byte_in_any_file_with_a_clear_error() throws IOException {
    try (VectorStore s = create(Map.of("exact-search-below", "0"))) {
      s.upsert(randomItems(new Random(SEED + 6), 1500, "x"));
      s.commit();
    }
    for (String name :
        new String[] {"g1.vectors", "g1.records", "g1.graph-text", "g1.graph-image"}) {
      Path f = dir.resolve(name);
      byte[] original = Files.readAllBytes(f);
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
        raf.seek(original.length / 2);
        raf.write(original[original.length / 2] ^ 0x10);
      }
      assertThatThrownBy(this::reopen)
          .isInstanceOf(CorruptCollectionException.class)
          .hasMessageContaining(name)
          .hasMessageContaining("CRC32")
          .hasMessageContaining("backup");
      Files.write(f, original);
    }
    try (VectorStore s = reopen()) {
      assertThat(s.count()).isEqualTo(1500);
    }
  }

  @Test
  void should_refuse_a_truncated_file_and_a_damaged_manifest() throws IOException {
    try (VectorStore s = create(Map.of())) {
      s.upsert(randomItems(new Random(SEED + 7), 100, "t"));
      s.commit();
    }
    Path vectors = dir.resolve("g1.vectors");
    byte[] original = Files.readAllBytes(vectors);
    Files.write(vectors, java.util.Arrays.copyOf(original, original.length - 7));
    assertThatThrownBy(this::reopen)
        .isInstanceOf(CorruptCollectionException.class)
        .hasMessageContaining("g1.vectors")
        .hasMessageContaining((original.length - 7) + " bytes")
        .hasMessageContaining("truncated");
    Files.write(vectors, original);
    Path manifest = dir.resolve("jvector.manifest");
    String text = Files.readString(manifest);
    Files.writeString(manifest, text.replace("generation=1", "generation=2"));
    assertThatThrownBy(this::reopen)
        .isInstanceOf(CorruptCollectionException.class)
        .hasMessageContaining("jvector.manifest");
    Files.delete(manifest);
    assertThatThrownBy(this::reopen)
        .isInstanceOf(CorruptCollectionException.class)
        .hasMessageContaining("no jvector.manifest");
  }

  @Test
  void should_keep_the_last_commit_when_a_later_commit_left_stray_files() throws IOException {
    try (VectorStore s = create(Map.of())) {
      s.upsert(randomItems(new Random(SEED + 8), 20, "k"));
      s.commit();
    }
    // A crash between writing generation 2's files and switching the manifest leaves them
    // unreferenced.
    Files.writeString(dir.resolve("g2.records"), "half written");
    try (VectorStore s = reopen()) {
      assertThat(s.count()).isEqualTo(20);
    }
    assertThat(dir.resolve("g2.records")).doesNotExist();
  }

  @Test
  void should_throw_closed_after_close_and_allow_a_second_close() throws IOException {
    VectorStore s = create(Map.of());
    s.close();
    s.close();
    assertThatThrownBy(() -> s.count()).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> s.search(new float[32], 1, Filter.ALL))
        .isInstanceOf(ClosedException.class);
  }

  @Test
  void should_reach_high_recall_on_mixed_modality_clip_like_data_for_both_query_modalities()
      throws IOException {
    long seed = SEED;
    ClipLikeVectors data = ClipLikeVectors.defaults(seed);
    System.out.println("mixed-modality recall test: " + data);
    ModelFingerprint fp = data.fingerprint();
    List<Item> items = data.items("m", 12_000, 0);
    float[][] queries = data.vectors(100, 1);
    Path memDir = dir.resolve("memory");
    Path jvDir = dir.resolve("jv");
    Files.createDirectories(memDir);
    Files.createDirectories(jvDir);
    try (VectorStore m = new MemoryStoreProvider().create(StoreContext.of(memDir), fp);
        VectorStore j = provider.create(StoreContext.of(jvDir), fp)) {
      m.upsert(items);
      j.upsert(items);
      j.commit();
      double[] hit = new double[2];
      double[] total = new double[2];
      for (int q = 0; q < queries.length; q++) {
        Set<String> got = new HashSet<>();
        j.search(queries[q], 10, Filter.ALL).forEach(h -> got.add(h.id()));
        int mod = ClipLikeVectors.modalityOf(q).ordinal();
        for (Hit h : m.search(queries[q], 10, Filter.ALL)) {
          total[mod]++;
          if (got.contains(h.id())) hit[mod]++;
        }
      }
      System.out.printf(
          "recall@10 image queries %.3f, text queries %.3f%n",
          hit[0] / total[0], hit[1] / total[1]);
      assertThat(hit[0] / total[0]).as("recall@10 of image queries").isGreaterThanOrEqualTo(0.95);
      assertThat(hit[1] / total[1]).as("recall@10 of text queries").isGreaterThanOrEqualTo(0.95);
    }
  }

  @Test
  void should_keep_inserting_into_a_committed_graph_in_parallel_batches() throws IOException {
    Random r = new Random(SEED + 9);
    List<Item> first = randomItems(r, 2000, "b");
    List<Item> second = randomItems(r, 2000, "n");
    try (VectorStore s = create(Map.of("exact-search-below", "0"))) {
      s.upsert(first);
      s.commit();
      s.upsert(second); // a parallel batch into a graph that commit has cleaned up
      s.delete(List.of("b5", "n5"));
      for (int q = 0; q < 40; q++) {
        Item target = second.get(q * 7 + 1);
        assertThat(s.search(target.embedding().vector(), 1, Filter.ALL).get(0).id())
            .isEqualTo(target.id());
      }
      s.commit();
    }
    try (VectorStore s = reopen()) {
      assertThat(s.count()).isEqualTo(3998);
    }
  }

  @Test
  void should_search_with_pq_codes_and_rerank_exactly() throws IOException {
    Random r = new Random(SEED + 10);
    List<Item> items = randomItems(r, 3000, "q");
    Path memDir = dir.resolve("memory");
    Path jvDir = dir.resolve("jv");
    Files.createDirectories(memDir);
    Files.createDirectories(jvDir);
    Map<String, String> settings = Map.of("pq-subspaces", "8", "exact-search-below", "0");
    try (VectorStore m = new MemoryStoreProvider().create(StoreContext.of(memDir), FP);
        VectorStore j = provider.create(new StoreContext(jvDir, settings, false), FP)) {
      m.upsert(items);
      j.upsert(items);
      j.commit();
      assertThat(((JVectorStore) j).pqBytesPerVector()).isEqualTo(8);
      j.upsert(randomItems(r, 10, "late")); // encoded on insert with the trained codebook
      m.upsert(j.get("late3").stream().toList());
      int hits = 0;
      for (int q = 0; q < 30; q++) {
        float[] query = vec(r, 32);
        Set<String> want = new HashSet<>();
        m.search(query, 10, Filter.ALL).forEach(h -> want.add(h.id()));
        List<Hit> got = j.search(query, 10, Filter.ALL);
        for (Hit h : got) {
          if (want.contains(h.id())) hits++;
          assertThat(h.score())
              .isCloseTo(
                  QueryScorer.of(Similarity.COSINE, query)
                      .score(j.get(h.id()).orElseThrow().embedding().vector()),
                  org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
      assertThat(hits / 300.0).as("recall@10 with PQ").isGreaterThan(0.8);
      j.commit();
    }
    try (VectorStore j = provider.open(new StoreContext(jvDir, settings, false))) {
      assertThat(((JVectorStore) j).pqBytesPerVector()).isEqualTo(8);
      float[] v = j.get("q12").orElseThrow().embedding().vector();
      assertThat(j.search(v, 1, Filter.ALL).get(0).id()).isEqualTo("q12");
    }
  }

  @Test
  void should_serve_readers_while_writers_upsert_and_commit() throws Exception {
    Random r = new Random(SEED + 11);
    List<Item> base = randomItems(r, 1500, "w");
    try (VectorStore s = create(Map.of("exact-search-below", "0"))) {
      s.upsert(base);
      s.commit();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          int thread = t;
          futures.add(
              pool.submit(
                  () -> {
                    Random tr = new Random(SEED + 100 + thread);
                    for (int i = 0; i < 20; i++) {
                      s.upsert(randomItems(tr, 50, "t" + thread + "-" + i + "-"));
                      s.delete(List.of("w" + (thread * 500 + i)));
                      if (i % 5 == 0) s.commit();
                    }
                    return null;
                  }));
        }
        for (int t = 0; t < 2; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    Random tr = new Random(SEED + 200);
                    for (int i = 0; i < 100; i++) {
                      List<Hit> hits = s.search(vec(tr, 32), 10, Filter.ALL);
                      assertThat(hits).hasSize(10).isSortedAccordingTo(Hit.ORDER);
                    }
                    return null;
                  }));
        }
        for (var f : futures) f.get();
      } finally {
        pool.shutdown();
      }
      assertThat(s.count()).isEqualTo(1500 + 2 * 20 * 50 - 40);
      s.commit();
    }
    try (VectorStore s = reopen()) {
      assertThat(s.count()).isEqualTo(1500 + 2 * 20 * 50 - 40);
    }
  }

  @Test
  void should_find_each_record_by_its_own_vector_with_landmark_entry() throws IOException {
    Random r = new Random(SEED + 12);
    List<Item> items = randomItems(r, 3000, "l");
    try (VectorStore s = create(Map.of("landmark-entry", "true", "exact-search-below", "0"))) {
      s.upsert(items);
      for (int i = 0; i < 3000; i += 97) {
        assertThat(s.search(items.get(i).embedding().vector(), 1, Filter.ALL).get(0).id())
            .isEqualTo("l" + i);
      }
      s.delete(List.of("l0", "l97"));
      assertThat(s.search(items.get(97).embedding().vector(), 5, Filter.ALL))
          .hasSize(5)
          .extracting(Hit::id)
          .doesNotContain("l97");
    }
  }

  @Test
  void should_survive_deleting_every_record_and_filling_the_store_again() throws IOException {
    Random r = new Random(SEED + 13);
    List<Item> items = randomItems(r, 300, "e");
    try (VectorStore s = create(Map.of("exact-search-below", "0"))) {
      s.upsert(items);
      s.commit();
      s.delete(items.stream().map(Item::id).toList());
      s.commit();
      assertThat(s.count()).isZero();
      assertThat(s.search(vec(r, 32), 5, Filter.ALL)).isEmpty();
      s.upsert(randomItems(r, 300, "again"));
      assertThat(s.search(vec(r, 32), 5, Filter.ALL)).hasSize(5);
      s.commit();
    }
    try (VectorStore s = reopen()) {
      assertThat(s.count()).isEqualTo(300);
      assertThat(s.get("again7")).isPresent();
      assertThat(s.get("e7")).isEmpty();
    }
    try (VectorStore s = create2()) {
      assertThat(s.count()).isZero();
    }
  }

  private VectorStore create2() throws IOException {
    Path other = dir.resolve("empty");
    Files.createDirectories(other);
    provider.create(StoreContext.of(other), FP).close();
    return provider.open(StoreContext.of(other));
  }

  @Test
  void should_return_every_record_for_a_huge_k() throws IOException {
    try (VectorStore s = create(Map.of("exact-search-below", "0"))) {
      s.upsert(randomItems(new Random(SEED + 14), 1200, "h"));
      List<Hit> hits = s.search(vec(new Random(SEED), 32), Integer.MAX_VALUE, Filter.ALL);
      assertThat(hits).hasSize(1200).isSortedAccordingTo(Hit.ORDER);
    }
  }

  @Test
  void should_keep_the_last_copy_of_an_id_repeated_in_one_batch_and_refuse_k_below_one()
      throws IOException {
    Random r = new Random(SEED + 15);
    float[] last = vec(r, 32);
    try (VectorStore s = create(Map.of("exact-search-below", "0"))) {
      List<Item> batch = new ArrayList<>(randomItems(r, 100, "y"));
      batch.add(item("y5", vec(r, 32), Modality.TEXT, "first"));
      batch.add(item("y5", last, Modality.IMAGE, "last"));
      s.upsert(batch);
      assertThat(s.count()).isEqualTo(100);
      assertThat(s.get("y5").orElseThrow().metadata().get("bucket")).isEqualTo("last");
      assertThat(s.search(last, 1, Filter.ALL).get(0).id()).isEqualTo("y5");
      assertThatThrownBy(() -> s.search(last, 0, Filter.ALL))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("got 0");
      s.commit();
    }
    try (VectorStore s = reopen()) {
      assertThat(s.count()).isEqualTo(100);
    }
  }

  @Test
  void should_order_a_run_of_equal_scores_longer_than_the_beam_by_id() throws IOException {
    // 1500 copies of one vector: a beam of 20 ends inside the run of equal scores, so only an
    // exact pass can return the 10 smallest ids.
    float[] same = vec(new Random(SEED + 16), 32);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      items.add(item(String.format("d%04d", 1499 - i), same, Modality.TEXT, "x"));
    }
    try (VectorStore s = create(Map.of("exact-search-below", "0", "search-beam", "20"))) {
      s.upsert(items);
      assertThat(s.search(same, 10, Filter.ALL))
          .extracting(Hit::id)
          .containsExactly(
              "d0000", "d0001", "d0002", "d0003", "d0004", "d0005", "d0006", "d0007", "d0008",
              "d0009");
    }
  }

  @Test
  void should_walk_the_graph_when_the_search_beam_is_not_wider_than_k() throws IOException {
    // search-beam 10 and k 10: a walk asked for exactly k candidates always ends on the k-th hit,
    // which read as a tie past the beam and sent every such search to the exact pass.
    Random r = new Random(SEED + 18);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 2000; i++) items.add(item("w" + i, vec(r, 32), Modality.TEXT, "x"));
    try (VectorStore s = create(Map.of("exact-search-below", "0", "search-beam", "10"))) {
      s.upsert(items);
      JVectorStore js = (JVectorStore) s;
      long before = js.exactPasses();
      int selfFirst = 0;
      for (int q = 0; q < 20; q++) {
        Item probe = items.get(q * 97);
        List<Hit> hits = s.search(probe.embedding().vector(), 10, Filter.ALL);
        assertThat(hits).hasSize(10).isSortedAccordingTo(Hit.ORDER);
        if (hits.get(0).id().equals(probe.id())) selfFirst++;
      }
      assertThat(js.exactPasses() - before).isZero();
      assertThat(selfFirst).isGreaterThanOrEqualTo(18);
    }
  }

  @Test
  void should_sample_evenly_spaced_live_vectors_of_one_modality_the_same_way_twice()
      throws IOException {
    List<Item> items = randomItems(new Random(SEED + 17), 300, "e");
    try (VectorStore s = create(Map.of())) {
      s.upsert(items);
      s.delete(List.of("e0", "e3"));
      List<float[]> sample = s.sample(Modality.IMAGE, 7);
      List<Item> images =
          items.stream()
              .filter(i -> i.modality() == Modality.IMAGE)
              .filter(i -> !i.id().equals("e0") && !i.id().equals("e3"))
              .toList();
      long[] at = StoreSamples.evenlySpaced(images.size(), 7);
      assertThat(sample).hasSize(7);
      for (int i = 0; i < at.length; i++) {
        assertThat(sample.get(i)).isEqualTo(images.get((int) at[i]).embedding().vector());
      }
      assertThat(s.sample(Modality.IMAGE, 7)).usingRecursiveComparison().isEqualTo(sample);
      assertThat(s.sample(Modality.IMAGE, 1000)).hasSize(images.size());
      assertThat(s.sample(Modality.IMAGE, 0)).isEmpty();
    }
  }

  @Test
  void opens_read_only_while_a_writer_commits_and_sees_whole_commits() throws Exception {
    // A commit deletes the replaced generation's files right after the manifest switch; a reader
    // that had read the old manifest used to fail with NoSuchFileException on g<N>.graph-image.
    Random r = new Random(SEED);
    VectorStore writer = create(Map.of());
    List<List<Item>> batches = new ArrayList<>();
    for (int b = 0; b < 25; b++) batches.add(randomItems(r, 20, "w" + b + "-"));
    writer.upsert(batches.get(0));
    writer.commit();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread writing =
        new Thread(
            () -> {
              try {
                for (List<Item> items : batches.subList(1, batches.size())) {
                  writer.upsert(items);
                  writer.commit();
                }
              } catch (Throwable t) {
                failure.set(t);
              } finally {
                done.set(true);
              }
            });
    writing.start();
    int opens = 0;
    try {
      while (!done.get() || opens < 3) {
        try (VectorStore ro = provider.open(new StoreContext(dir, Map.of(), true))) {
          long n = ro.count();
          assertThat(n % 20)
              .as("read-only open #%d sees whole commits (count %d)", opens, n)
              .isZero();
          assertThat(ro.get("w0-1")).as("a record of the first commit").isPresent();
          assertThat(ro.search(batches.get(0).get(2).embedding().vector(), 3, Filter.ALL))
              .hasSize(3);
        }
        opens++;
      }
    } finally {
      writing.join();
      writer.close();
    }
    assertThat(failure.get()).as("the writer's commits").isNull();
    try (VectorStore ro = provider.open(new StoreContext(dir, Map.of(), true))) {
      assertThat(ro.count()).isEqualTo(500);
    }
  }
}
