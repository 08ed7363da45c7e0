package dev.tessera.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
import dev.tessera.api.TesseraException;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStores;
import dev.tessera.store.memory.MemoryStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LuceneStoreTest {
  private static final long SEED = 20261128L;
  private static final ModelFingerprint FP = TestData.fingerprint(32, Similarity.COSINE, true);
  private static final TestData DATA = new TestData(SEED, 32, 20, 0.6, true);

  @TempDir Path dir;

  private final LuceneStoreProvider provider = new LuceneStoreProvider();

  private VectorStore create(Path where, ModelFingerprint fp, Map<String, String> settings)
      throws IOException {
    Files.createDirectories(where);
    return provider.create(new StoreContext(where, settings, false), fp);
  }

  private VectorStore create() throws IOException {
    return create(dir.resolve("store"), FP, Map.of());
  }

  private VectorStore reopen(boolean readOnly) throws IOException {
    return provider.open(new StoreContext(dir.resolve("store"), Map.of(), readOnly));
  }

  private static Item item(
      String id, float[] v, Modality m, Map<String, String> meta, Source source) {
    return new Item(id, new Embedding(v, FP, m), meta, source);
  }

  @Test
  void should_be_found_by_name_through_service_loader() {
    assertThat(VectorStores.provider("lucene")).isInstanceOf(LuceneStoreProvider.class);
    assertThat(provider.settingNames())
        .containsExactlyInAnyOrder(
            "max-connections",
            "beam-width",
            "quantization",
            "over-query",
            "ram-buffer-mb",
            "exact-below");
  }

  @Test
  void should_return_what_was_written_exactly() throws IOException {
    System.out.println("seed " + SEED);
    try (VectorStore store = create()) {
      float[] v = DATA.vector(1, 3);
      Item written =
          item(
              "a",
              v,
              Modality.IMAGE,
              Map.of("album", "2024", "odd key\u0000", "x:y"),
              Source.image("cat.jpg"));
      store.upsert(
          List.of(
              written,
              item("b", DATA.vector(1, 4), Modality.TEXT, Map.of(), Source.text("a cat"))));

      Item read = store.get("a").orElseThrow();
      assertThat(read).isEqualTo(written);
      assertThat(read.embedding().vector()).containsExactly(v);
      assertThat(store.get("b").orElseThrow().source()).isEqualTo(Source.text("a cat"));
      assertThat(store.get("missing")).isEmpty();
      assertThat(store.count()).isEqualTo(2);
      assertThat(store.fingerprint()).isEqualTo(FP);
    }
  }

  @Test
  void should_return_hits_as_stored_whether_read_from_the_hit_doc_value_or_stored_fields()
      throws IOException {
    String longText = "a cat asleep on a red sofa ".repeat(60); // over HitValues.MAX_BYTES
    List<Item> written =
        List.of(
            item(
                "short",
                DATA.vector(1, 1),
                Modality.IMAGE,
                Map.of("album", "2024"),
                Source.image("cat.jpg")),
            item("long", DATA.vector(2, 2), Modality.TEXT, Map.of("k", "v"), Source.text(longText)),
            item("plain", DATA.vector(3, 3), Modality.TEXT, Map.of(), Source.text("x")));
    assertThat(HitValues.field(written.get(0))).isNotNull();
    assertThat(HitValues.field(written.get(1))).isNull(); // read back from stored fields
    try (VectorStore store = create()) {
      store.upsert(written);
      store.commit();
      for (Item want : written) {
        Hit got =
            store.search(want.embedding().vector(), 3, Filter.ALL).stream()
                .filter(h -> h.id().equals(want.id()))
                .findFirst()
                .orElseThrow();
        assertThat(List.of(got.modality(), got.metadata(), got.source()))
            .isEqualTo(List.of(want.modality(), want.metadata(), want.source()));
      }
    }
  }

  @Test
  void should_visit_every_live_record_without_its_vector_as_foreach_sees_it() throws IOException {
    try (VectorStore store = create()) {
      store.upsert(DATA.items("r", 60, FP));
      store.commit();
      store.delete(List.of("r3", "r4", "r10"));
      store.upsert(DATA.items("s", 5, FP)); // not committed: still visible
      Map<String, List<Object>> viaForEach = new java.util.TreeMap<>();
      store.forEach(i -> viaForEach.put(i.id(), List.of(i.modality(), i.metadata(), i.source())));
      Map<String, List<Object>> viaRecords = new java.util.TreeMap<>();
      store.forEachRecord((id, m, meta, src) -> viaRecords.put(id, List.of(m, meta, src)));
      assertThat(viaRecords).hasSize(62).isEqualTo(viaForEach).doesNotContainKeys("r3", "r4");
    }
  }

  @Test
  void should_replace_a_record_whole_even_across_modalities() throws IOException {
    try (VectorStore store = create()) {
      store.upsert(
          List.of(
              item("a", DATA.vector(1, 1), Modality.TEXT, Map.of("k", "old"), Source.text("old"))));
      store.commit();
      float[] v2 = DATA.vector(1, 2);
      store.upsert(
          List.of(item("a", v2, Modality.IMAGE, Map.of("k2", "new"), Source.image("new.png"))));

      assertThat(store.count()).isEqualTo(1);
      Item read = store.get("a").orElseThrow();
      assertThat(read.modality()).isEqualTo(Modality.IMAGE);
      assertThat(read.metadata().asMap()).isEqualTo(Map.of("k2", "new"));
      assertThat(read.source()).isEqualTo(Source.image("new.png"));
      assertThat(read.embedding().vector()).containsExactly(v2);
      assertThat(store.search(v2, 10, Filter.ALL)).extracting(Hit::id).containsExactly("a");
      assertThat(store.search(v2, 10, Filter.modality(Modality.TEXT))).isEmpty();
      assertThat(store.search(v2, 10, Filter.where("k").eq("old"))).isEmpty();
    }
  }

  @Test
  void should_delete_and_ignore_missing_ids() throws IOException {
    try (VectorStore store = create()) {
      store.upsert(DATA.items("r", 50, FP));
      store.delete(List.of("r1", "r2", "nope"));
      assertThat(store.count()).isEqualTo(48);
      assertThat(store.get("r1")).isEmpty();
      assertThat(store.search(DATA.vector(0, 1), 100, Filter.ALL))
          .extracting(Hit::id)
          .doesNotContain("r1", "r2")
          .hasSize(48);
      List<String> seen = new ArrayList<>();
      store.forEach(i -> seen.add(i.id()));
      assertThat(seen).hasSize(48).doesNotContain("r1", "r2");
    }
  }

  @Test
  void should_keep_commits_and_discard_uncommitted_writes_on_close() throws IOException {
    try (VectorStore store = create()) {
      store.upsert(DATA.items("c", 20, FP));
      store.commit();
      store.upsert(DATA.items("u", 5, FP));
      store.delete(List.of("c0"));
      assertThat(store.count()).isEqualTo(24);
    }
    try (VectorStore store = reopen(false)) {
      assertThat(store.count()).isEqualTo(20);
      assertThat(store.get("c0")).isPresent();
      assertThat(store.get("u0")).isEmpty();
      assertThat(store.fingerprint()).isEqualTo(FP);
      assertThat(store.get("c7").orElseThrow()).isEqualTo(DATA.items("c", 20, FP).get(7));
    }
  }

  @Test
  void should_record_fingerprint_and_build_settings_in_the_commit() throws IOException {
    Map<String, String> settings =
        Map.of(
            "max-connections", "8", "beam-width", "40", "quantization", "int8", "over-query", "7");
    try (VectorStore store = create(dir.resolve("store"), FP, settings)) {
      store.upsert(DATA.items("s", 10, FP));
      store.commit();
    }
    try (FSDirectory d = FSDirectory.open(dir.resolve("store"))) {
      Map<String, String> userData =
          org.apache.lucene.index.SegmentInfos.readLatestCommit(d).getUserData();
      assertThat(userData)
          .containsEntry("tessera.fingerprint", FP.canonical())
          .containsEntry("tessera.setting.max-connections", "8")
          .containsEntry("tessera.setting.beam-width", "40")
          .containsEntry("tessera.setting.quantization", "int8")
          .doesNotContainKey("tessera.setting.over-query");
    }
    // Reopened without settings, the recorded build settings apply.
    try (VectorStore store = reopen(false)) {
      LuceneSettings s = ((LuceneStore) store).settings();
      assertThat(s.maxConnections()).isEqualTo(8);
      assertThat(s.beamWidth()).isEqualTo(40);
      assertThat(s.quantization()).isEqualTo(LuceneSettings.Quantization.INT8);
      assertThat(s.overQuery()).isEqualTo(LuceneSettings.DEFAULTS.overQuery());
      assertThat(store.count()).isEqualTo(10);
    }
    assertThatThrownBy(
            () ->
                provider.open(
                    new StoreContext(dir.resolve("store"), Map.of("max-connections", "32"), false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "was created with max-connections=8 and can not be opened with max-connections=32");
    // A search setting may change on every open.
    try (VectorStore store =
        provider.open(
            new StoreContext(
                dir.resolve("store"), Map.of("over-query", "300", "quantization", "int8"), true))) {
      assertThat(((LuceneStore) store).settings().overQuery()).isEqualTo(300);
    }
  }

  @Test
  void should_refuse_unknown_and_invalid_settings() {
    assertThatThrownBy(() -> create(dir.resolve("x"), FP, Map.of("ef", "10")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ef' is not a lucene setting")
        .hasMessageContaining("max-connections");
    assertThatThrownBy(() -> create(dir.resolve("y"), FP, Map.of("quantization", "int2")))
        .hasMessage("Store setting quantization=int2 is invalid: use none, int8, int4 or bbq.");
    assertThatThrownBy(() -> create(dir.resolve("z"), FP, Map.of("max-connections", "1")))
        .hasMessageContaining("max-connections=1 is invalid");
  }

  @Test
  void should_refuse_to_open_what_is_not_a_lucene_store() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> provider.open(StoreContext.of(empty)))
        .isInstanceOf(CorruptCollectionException.class)
        .hasMessageContaining("There is no Lucene index in " + empty);
    assertThatThrownBy(() -> provider.open(StoreContext.of(dir.resolve("absent"))))
        .isInstanceOf(CorruptCollectionException.class)
        .hasMessageContaining("does not exist");
    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    try (FSDirectory d = FSDirectory.open(foreign);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
      Document doc = new Document();
      doc.add(new StringField("x", "y", Field.Store.YES));
      w.addDocument(doc);
      w.commit();
    }
    assertThatThrownBy(() -> provider.open(StoreContext.of(foreign)))
        .isInstanceOf(CorruptCollectionException.class)
        .hasMessageContaining("was not written by Tessera's lucene store");
  }

  @Test
  void should_see_uncommitted_writes_in_every_read() throws IOException {
    try (VectorStore store = create()) {
      for (int round = 0; round < 5; round++) {
        float[] v = DATA.vector(2, round);
        store.upsert(List.of(item("r" + round, v, Modality.IMAGE, Map.of(), Source.NONE)));
        assertThat(store.search(v, 1, Filter.ALL)).extracting(Hit::id).containsExactly("r" + round);
        assertThat(store.count()).isEqualTo(round + 1);
        store.delete(List.of("r" + round));
        assertThat(store.get("r" + round)).isEmpty();
        store.upsert(List.of(item("r" + round, v, Modality.IMAGE, Map.of(), Source.NONE)));
      }
    }
  }

  @Test
  void should_apply_modality_and_metadata_filters_inside_the_search() throws IOException {
    try (VectorStore store = create()) {
      store.upsert(DATA.items("f", 2000, FP));
      float[] q = DATA.vector(9, 1);
      List<Hit> images = store.search(q, 10, Filter.modality(Modality.IMAGE));
      assertThat(images)
          .hasSize(10)
          .allSatisfy(h -> assertThat(h.modality()).isEqualTo(Modality.IMAGE));
      // bucket 7 holds 20 of 2000 records (1%); with a text filter, 10 of them.
      List<Hit> bucket = store.search(q, 10, Filter.where("bucket").eq("7"));
      assertThat(bucket)
          .hasSize(10)
          .allSatisfy(h -> assertThat(h.metadata().get("bucket")).isEqualTo("7"));
      List<Hit> both = store.search(q, 10, Filter.where("bucket").eq("7").only(Modality.TEXT));
      assertThat(both)
          .hasSize(10)
          .allSatisfy(
              h -> {
                assertThat(h.modality()).isEqualTo(Modality.TEXT);
                assertThat(h.metadata().get("bucket")).isEqualTo("7");
              });
      assertThat(store.search(q, 10, Filter.where("bucket").eq("7").only(Modality.IMAGE)))
          .isEmpty();
      assertThat(store.search(q, 10, Filter.where("bucket").eq("nope"))).isEmpty();
    }
  }

  @Test
  void should_return_k_hits_for_a_filter_matching_under_one_percent() throws IOException {
    System.out.println("seed " + SEED);
    Random r = new Random(SEED);
    List<Item> items = new ArrayList<>(DATA.items("s", 5000, FP));
    Set<Integer> rare = new HashSet<>();
    while (rare.size() < 30) rare.add(r.nextInt(items.size()));
    for (int i : rare) items.set(i, items.get(i).with("rare", "yes"));
    Path memDir = Files.createDirectories(dir.resolve("memory"));
    try (VectorStore store = create();
        VectorStore oracle = new MemoryStoreProvider().create(StoreContext.of(memDir), FP)) {
      store.upsert(items);
      oracle.upsert(items);
      Filter filter = Filter.where("rare").eq("yes");
      for (int qi = 0; qi < 5; qi++) {
        float[] q = DATA.vector(7, qi);
        List<Hit> hits = store.search(q, 25, filter);
        assertThat(hits).hasSize(25);
        assertThat(hits)
            .extracting(Hit::id)
            .containsExactlyElementsOf(oracle.search(q, 25, filter).stream().map(Hit::id).toList());
      }
    }
  }

  @ParameterizedTest(name = "{0} normalized={1}")
  @CsvSource({"cosine,true", "cosine,false", "dot,true", "dot,false", "euclidean,false"})
  void should_score_like_the_exact_memory_store(String similarity, boolean normalized)
      throws IOException {
    System.out.println("seed " + SEED);
    ModelFingerprint fp = TestData.fingerprint(48, Similarity.parse(similarity), normalized);
    TestData data = new TestData(SEED, 48, 30, 0.8, normalized);
    List<Item> items = data.items("v", 3000, fp);
    Path memDir = Files.createDirectories(dir.resolve("memory"));
    try (VectorStore store = create(dir.resolve("lucene"), fp, Map.of());
        VectorStore oracle = new MemoryStoreProvider().create(StoreContext.of(memDir), fp)) {
      store.upsert(items);
      oracle.upsert(items);
      store.commit();
      int found = 0;
      int queries = 40;
      for (int qi = 0; qi < queries; qi++) {
        float[] q = data.vector(5, qi);
        List<Hit> hits = store.search(q, 10, Filter.ALL);
        List<Hit> exact = oracle.search(q, 10, Filter.ALL);
        assertThat(hits).hasSize(10).isSortedAccordingTo(Hit.ORDER);
        for (Hit h : hits) {
          float[] v = store.get(h.id()).orElseThrow().embedding().vector();
          // The store scores with the api's scorer, bit for bit.
          assertThat(h.score()).isEqualTo(QueryScorer.of(fp.similarity(), q).score(v));
        }
        Set<String> exactIds = exact.stream().map(Hit::id).collect(Collectors.toSet());
        for (Hit h : hits) if (exactIds.contains(h.id())) found++;
        // The best hit is almost always found; its score agrees with the oracle's to float
        // precision.
        if (hits.get(0).id().equals(exact.get(0).id())) {
          assertThat(hits.get(0).score()).isCloseTo(exact.get(0).score(), within(1e-5f));
        }
      }
      assertThat(found / (double) (queries * 10)).as("recall@10").isGreaterThanOrEqualTo(0.95);
    }
  }

  @Test
  void should_break_ties_by_id_even_past_the_candidates() throws IOException {
    float[] same = DATA.vector(3, 1);
    List<Item> twins = new ArrayList<>();
    for (int i = 0; i < 60; i++)
      twins.add(item(String.format("t%03d", i), same, Modality.IMAGE, Map.of(), Source.NONE));
    Collections.shuffle(twins, new Random(SEED));
    System.out.println("seed " + SEED);
    // over-query 1: Lucene returns 6 of the 60 tied records, so the exact pass must pick the ids.
    try (VectorStore store = create(dir.resolve("store"), FP, Map.of("over-query", "1"))) {
      store.upsert(twins.subList(0, 30));
      store.commit();
      store.upsert(twins.subList(30, 60));
      store.upsert(DATA.items("other", 100, FP));
      List<Hit> hits = store.search(same, 5, Filter.ALL);
      assertThat(hits).extracting(Hit::id).containsExactly("t000", "t001", "t002", "t003", "t004");
      assertThat(hits).extracting(Hit::score).containsOnly(hits.get(0).score());
    }
  }

  @Test
  void should_open_read_only_beside_a_writer_without_the_write_lock() throws IOException {
    try (VectorStore writer = create()) {
      writer.upsert(DATA.items("w", 30, FP));
      writer.commit();
      writer.upsert(DATA.items("later", 5, FP));
      try (VectorStore reader = reopen(true)) {
        assertThat(reader.count()).isEqualTo(30);
        assertThat(reader.search(DATA.vector(0, 3), 1, Filter.ALL))
            .extracting(Hit::id)
            .containsExactly("w3");
        assertThatThrownBy(() -> reader.upsert(DATA.items("x", 1, FP)))
            .isInstanceOf(TesseraException.class)
            .hasMessageContaining("was opened read-only");
        assertThatThrownBy(() -> reader.delete(List.of("w1")))
            .hasMessageContaining("was opened read-only");
        assertThatThrownBy(reader::commit).hasMessageContaining("was opened read-only");
      }
      assertThatThrownBy(() -> reopen(false))
          .isInstanceOf(TesseraException.class)
          .hasMessageContaining("is already open for writing");
      assertThat(writer.count()).isEqualTo(35);
    }
    assertThatThrownBy(
            () -> provider.create(new StoreContext(dir.resolve("ro"), Map.of(), true), FP))
        .hasMessageContaining("read-only");
  }

  @Test
  void should_throw_closed_after_close_and_allow_a_second_close() throws IOException {
    VectorStore store = create();
    store.upsert(DATA.items("c", 3, FP));
    store.close();
    store.close();
    assertThatThrownBy(() -> store.search(DATA.vector(0, 0), 1, Filter.ALL))
        .isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> store.upsert(DATA.items("c", 1, FP)))
        .isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> store.get("c0")).isInstanceOf(ClosedException.class);
    assertThatThrownBy(store::count).isInstanceOf(ClosedException.class);
    assertThatThrownBy(store::commit).isInstanceOf(ClosedException.class);
    assertThatThrownBy(store::fingerprint).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> store.forEach(i -> {})).isInstanceOf(ClosedException.class);
  }

  @Test
  void should_index_more_than_lucene_default_1024_dimensions() throws IOException {
    ModelFingerprint wide = TestData.fingerprint(1280, Similarity.COSINE, true);
    TestData data = new TestData(SEED, 1280, 5, 0.5, true);
    try (VectorStore store = create(dir.resolve("store"), wide, Map.of())) {
      store.upsert(data.items("w", 50, wide));
      store.commit();
    }
    try (VectorStore store = reopen(false)) {
      assertThat(store.fingerprint()).isEqualTo(wide);
      assertThat(store.search(data.vector(0, 10), 1, Filter.ALL))
          .extracting(Hit::id)
          .containsExactly("w10");
      store.upsert(data.items("x", 5, wide));
      store.commit();
    }
  }

  @ParameterizedTest
  @CsvSource({"int8", "int4"})
  void should_search_quantized_vectors_and_keep_the_raw_ones(String quantization)
      throws IOException {
    System.out.println("seed " + SEED);
    ModelFingerprint fp = TestData.fingerprint(64, Similarity.COSINE, true);
    TestData data = new TestData(SEED, 64, 30, 0.8, true);
    List<Item> items = data.items("q", 3000, fp);
    Path memDir = Files.createDirectories(dir.resolve("memory"));
    try (VectorStore store =
            create(dir.resolve("store"), fp, Map.of("quantization", quantization));
        VectorStore oracle = new MemoryStoreProvider().create(StoreContext.of(memDir), fp)) {
      store.upsert(items);
      store.commit();
      oracle.upsert(items);
      assertThat(store.get("q5").orElseThrow()).isEqualTo(items.get(5));
      int found = 0;
      for (int qi = 0; qi < 30; qi++) {
        float[] q = data.vector(6, qi);
        Set<String> exact =
            oracle.search(q, 10, Filter.ALL).stream().map(Hit::id).collect(Collectors.toSet());
        for (Hit h : store.search(q, 10, Filter.ALL)) if (exact.contains(h.id())) found++;
      }
      assertThat(found / 300.0).as("recall@10 with " + quantization).isGreaterThanOrEqualTo(0.9);
    }
    try (FSDirectory d = FSDirectory.open(dir.resolve("store"));
        DirectoryReader r = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : r.leaves()) {
        FieldInfo field =
            leaf.reader().getFieldInfos().fieldInfo(Records.vectorField(Modality.TEXT));
        assertThat(field.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY))
            .isEqualTo("Lucene99HnswScalarQuantizedVectorsFormat");
      }
    }
  }

  @Test
  void should_serve_concurrent_writers_and_readers() throws Exception {
    System.out.println("seed " + SEED);
    try (VectorStore store = create();
        ExecutorService pool = Executors.newFixedThreadPool(4)) {
      store.upsert(DATA.items("base", 200, FP));
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 25; i++) {
                    float[] v = DATA.vector(100 + thread, i);
                    String id = "t" + thread + "-" + i;
                    store.upsert(
                        List.of(
                            item(
                                id, v, Modality.TEXT, Map.of("thread", "" + thread), Source.NONE)));
                    // Read-your-writes from this thread, whatever the others do.
                    assertThat(store.get(id)).isPresent();
                    List<Hit> hits =
                        store.search(
                            v, 1, Filter.where("thread").eq("" + thread).only(Modality.TEXT));
                    assertThat(hits).extracting(Hit::id).containsExactly(id);
                    if (i % 10 == 0) store.commit();
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) f.get();
      assertThat(store.count()).isEqualTo(300);
      store.commit();
    }
    try (VectorStore store = reopen(true)) {
      assertThat(store.count()).isEqualTo(300);
    }
  }

  @Test
  void should_survive_a_process_killed_with_uncommitted_writes() throws Exception {
    Path store = dir.resolve("store");
    Files.createDirectories(store);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                store.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isEqualTo(CrashingWriter.EXIT_CODE);
    try (VectorStore reopened = provider.open(StoreContext.of(store))) {
      assertThat(reopened.count()).isEqualTo(CrashingWriter.COMMITTED);
      assertThat(reopened.get("committed-0")).isPresent();
      assertThat(reopened.get("pending-0")).isEmpty();
      assertThat(reopened.search(DATA.vector(0, 4), 1, Filter.ALL))
          .extracting(Hit::id)
          .containsExactly("committed-4");
      reopened.upsert(DATA.items("after", 3, FP));
      reopened.commit();
      assertThat(reopened.count()).isEqualTo(CrashingWriter.COMMITTED + 3);
    }
  }

  /**
   * Child process of the crash test: commits some records, writes more, then halts without closing.
   */
  static final class CrashingWriter {
    static final int EXIT_CODE = 42;
    static final int COMMITTED = 100;

    public static void main(String[] args) throws IOException {
      VectorStore store = new LuceneStoreProvider().create(StoreContext.of(Path.of(args[0])), FP);
      store.upsert(DATA.items("committed-", COMMITTED, FP));
      store.commit();
      store.upsert(DATA.items("pending-", 500, FP));
      store.count(); // flushes a near-real-time segment to disk that no commit references
      Runtime.getRuntime().halt(EXIT_CODE);
    }
  }

  @Test
  void should_return_all_records_when_k_exceeds_the_count() throws IOException {
    try (VectorStore store = create()) {
      assertThat(store.search(DATA.vector(0, 0), 10, Filter.ALL)).isEmpty();
      store.upsert(DATA.items("a", 7, FP));
      List<Hit> hits = store.search(DATA.vector(0, 0), 100, Filter.ALL);
      assertThat(hits).hasSize(7).isSortedAccordingTo(Hit.ORDER);
      assertThat(hits.get(0).id()).isEqualTo("a0");
      Optional<Item> got = store.get("a3");
      assertThat(got).isPresent();
    }
  }
}
