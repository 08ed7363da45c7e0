package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.tessera.api.ClosedException;
import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.FingerprintMismatchException;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.NonFiniteVectorException;
import dev.tessera.api.Query;
import dev.tessera.api.Similarity;
import dev.tessera.api.Source;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.store.memory.MemoryStoreProvider;
import dev.tessera.synthetic.ClipLikeVectors;
import dev.tessera.synthetic.ClusteredVectors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conformance kit: every {@link VectorStore} contract check, inherited by extending this class.
 *
 * <p>A backend's test extends it and implements {@link #provider()}; it may override {@link
 * #settings()}, {@link #minimumRecall()}, the capability hooks ({@code supports…()}, safe default
 * {@code true}: the check runs unless the backend declares it lacks the feature, and a declared
 * lack shows as a skipped test naming the hook) and the size hooks. Random data comes from {@link
 * #seed()}; a failing test prints its seed to stderr (rerun with {@code -D}{@value
 * #SEED_PROPERTY}{@code =<seed>}), and {@code -D}{@value #VERBOSE_PROPERTY}{@code =true} prints
 * every test's seed and measured recall.
 *
 * <p>Decisions the kit enforces where the {@link VectorStore} javadoc leaves room: {@code search}
 * with {@code k < 1} throws {@link IllegalArgumentException} (the api's {@link Query} never passes
 * one); {@code close} discards uncommitted writes, and after a reopen an uncommitted batch is never
 * half there.
 */
public abstract class VectorStoreConformance {
  /** System property that fixes the seed of every test (default {@value #DEFAULT_SEED}). */
  public static final String SEED_PROPERTY = "tessera.conformance.seed";

  /** The seed used when {@value #SEED_PROPERTY} is not set, so CI runs are reproducible. */
  public static final long DEFAULT_SEED = 20_260_611L;

  /** A fresh directory for each test; stores are created in subdirectories of it. */
  @TempDir protected Path tempDir;

  /** System property that prints every test's seed and measurements, passing or not. */
  public static final String VERBOSE_PROPERTY = "tessera.conformance.verbose";

  private final List<VectorStore> opened = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private String testName = "?";

  /** Prints this test's notes (seed, measurements) when it fails: a failure says how to rerun. */
  @RegisterExtension
  final TestWatcher notesOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          notes.forEach(System.err::println);
        }
      };

  /** For subclasses: a backend's test extends this class. */
  protected VectorStoreConformance() {}

  // ------------------------------------------------------------------ what a backend provides

  /** The provider of the store under test (a new instance or a shared one). */
  protected abstract VectorStoreProvider provider();

  /** Store settings passed to every create and open; default none. */
  protected Map<String, String> settings() {
    return Map.of();
  }

  /** The recall@10 the backend promises against the exact oracle; default 0.95. */
  protected double minimumRecall() {
    return 0.95;
  }

  // ------------------------------------------------------------------ capability hooks

  /**
   * Whether the store opens with {@link StoreContext#readOnly()} and serves reads; default true.
   */
  protected boolean supportsReadOnlyOpen() {
    return true;
  }

  /** Whether several threads may write at once (the contract says yes); default true. */
  protected boolean supportsConcurrentWriters() {
    return true;
  }

  /**
   * Whether the kit may kill a writer process to test crash safety (needs a forkable JVM); default
   * true.
   */
  protected boolean supportsCrashRecoveryTest() {
    return true;
  }

  /**
   * Whether {@link VectorStore#get} returns the vectors bit for bit; false allows a relative error
   * of 1e-5.
   */
  protected boolean storesVectorsExactly() {
    return true;
  }

  // ------------------------------------------------------------------ size hooks

  /** Records per recall test (several thousand by default). */
  protected int recallCorpusSize() {
    return 4000;
  }

  /** Queries per recall test. */
  protected int recallQueryCount() {
    return 100;
  }

  /** Operations per writer thread in the concurrency test (a count, never a duration). */
  protected int concurrentOperations() {
    return 300;
  }

  /**
   * Extra JVM arguments for the crash test's writer process; default enables the Vector API if
   * present.
   */
  protected List<String> crashTestJvmArguments() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        ? List.of("--add-modules", "jdk.incubator.vector")
        : List.of();
  }

  /** The seed of this run: {@value #SEED_PROPERTY} when set, else {@link #DEFAULT_SEED}. */
  protected long seed() {
    return Long.getLong(SEED_PROPERTY, DEFAULT_SEED);
  }

  // ------------------------------------------------------------------ helpers for subclasses

  /**
   * Creates a store for {@code fingerprint} in {@code dir} (created empty); closed after the test.
   */
  protected VectorStore createStore(Path dir, ModelFingerprint fingerprint) throws IOException {
    Files.createDirectories(dir);
    return track(provider().create(new StoreContext(dir, settings(), false), fingerprint));
  }

  /** Opens the store in {@code dir}; closed after the test. */
  protected VectorStore openStore(Path dir, boolean readOnly) throws IOException {
    return track(provider().open(new StoreContext(dir, settings(), readOnly)));
  }

  /** A fingerprint for kit data: declared, not normalized unless said. */
  protected static ModelFingerprint fingerprint(
      int dimension, Similarity similarity, boolean normalized) {
    return ModelFingerprint.declared(
        "conformance/" + similarity.id() + "-" + dimension + (normalized ? "-unit" : ""),
        dimension,
        similarity,
        normalized,
        "tessera conformance kit");
  }

  private VectorStore track(VectorStore s) {
    synchronized (opened) {
      opened.add(s);
    }
    return s;
  }

  @BeforeEach
  void rememberName(TestInfo info) {
    String method = info.getTestMethod().map(m -> m.getName()).orElse("?");
    String display = info.getDisplayName();
    testName =
        getClass().getSimpleName()
            + "."
            + method
            + (display.startsWith(method + "(") ? "" : " [" + display + "]");
  }

  @AfterEach
  void closeStores() {
    synchronized (opened) {
      for (VectorStore s : opened) {
        try {
          s.close();
        } catch (Exception e) {
          // A close that fails after a failed test must not hide the test's own failure.
        }
      }
      opened.clear();
    }
  }

  private long printSeed() {
    long seed = seed();
    note(testName + " seed=" + seed + " (rerun with -D" + SEED_PROPERTY + "=" + seed + ")");
    return seed;
  }

  /**
   * A line about this test (its seed, a measured recall): printed to stderr if the test fails, or
   * at once with {@code -D}{@value #VERBOSE_PROPERTY}{@code =true}; a passing run prints nothing.
   */
  private void note(String line) {
    String l = "[conformance] " + line;
    if (Boolean.getBoolean(VERBOSE_PROPERTY)) System.out.println(l);
    else notes.add(l);
  }

  private String ctx(long seed) {
    return "[" + provider().name() + ", seed=" + seed + "] ";
  }

  private static final ModelFingerprint SMALL = fingerprint(8, Similarity.COSINE, false);

  private static float[] randomVector(Random rnd, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) v[i] = (float) rnd.nextGaussian();
    return v;
  }

  private static Item item(String id, float[] v, ModelFingerprint fp, Modality m) {
    return new Item(
        id,
        new Embedding(v, fp, m),
        Map.of(),
        m == Modality.TEXT ? Source.text("text of " + id) : Source.image("img/" + id + ".jpg"));
  }

  private static List<Item> randomItems(Random rnd, String prefix, int n, ModelFingerprint fp) {
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Modality m = i % 2 == 0 ? Modality.IMAGE : Modality.TEXT;
      items.add(item(prefix + i, randomVector(rnd, fp.dimension()), fp, m));
    }
    return items;
  }

  /** The exact top k of {@code items} for {@code query}: the oracle for small cases. */
  private static List<Hit> exact(
      List<Item> items, float[] query, int k, Filter filter, Similarity sim) {
    List<Hit> all = new ArrayList<>();
    for (Item it : items)
      if (filter.matches(it))
        all.add(Hit.of(it, QueryScorer.of(sim, query).score(it.embedding().vector())));
    all.sort(Hit.ORDER);
    return all.subList(0, Math.min(k, all.size()));
  }

  private static List<String> ids(List<Hit> hits) {
    return hits.stream().map(Hit::id).toList();
  }

  private void assertSameRecord(Optional<Item> actual, Item expected, String why) {
    assertThat(actual).as(why + ": get('" + expected.id() + "')").isPresent();
    Item a = actual.get();
    assertThat(a.id()).as(why + ": id").isEqualTo(expected.id());
    assertThat(a.modality())
        .as(why + ": modality of " + expected.id())
        .isEqualTo(expected.modality());
    assertThat(a.metadata())
        .as(why + ": metadata of " + expected.id())
        .isEqualTo(expected.metadata());
    assertThat(a.source()).as(why + ": source of " + expected.id()).isEqualTo(expected.source());
    assertThat(a.embedding().fingerprint())
        .as(why + ": fingerprint of " + expected.id())
        .isEqualTo(expected.embedding().fingerprint());
    float[] av = a.embedding().vector();
    float[] ev = expected.embedding().vector();
    if (storesVectorsExactly()) {
      assertThat(av)
          .as(
              why
                  + ": vector of "
                  + expected.id()
                  + " (bit for bit; override storesVectorsExactly() if the store rounds)")
          .containsExactly(ev);
    } else {
      assertThat(av).as(why + ": vector length of " + expected.id()).hasSize(ev.length);
      for (int i = 0; i < ev.length; i++) {
        assertThat((double) av[i])
            .as(why + ": component " + i + " of " + expected.id())
            .isCloseTo(
                ev[i], org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.abs(ev[i]))));
      }
    }
  }

  private static void assertScoresMatch(
      List<Hit> hits, Map<String, float[]> vectors, float[] query, Similarity sim, String why) {
    for (Hit h : hits) {
      float[] v = vectors.get(h.id());
      assertThat(v)
          .as(why + ": hit '" + h.id() + "' is not a record that should exist")
          .isNotNull();
      double expected = QueryScorer.of(sim, query).score(v);
      assertThat((double) h.score())
          .as(
              why
                  + ": score of '"
                  + h.id()
                  + "' on the "
                  + sim.id()
                  + " scale (Similarity javadoc)")
          .isCloseTo(
              expected,
              org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(expected))));
    }
  }

  // ================================================================== CRUD

  @Test
  void should_return_an_upserted_record_whole_by_get() throws IOException {
    long seed = printSeed();
    // given
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    Item text =
        item("note-1", randomVector(new Random(seed), 8), SMALL, Modality.TEXT)
            .with("album", "2024")
            .with("lang", "en");
    Item image = item("cat.jpg", randomVector(new Random(seed + 1), 8), SMALL, Modality.IMAGE);
    Item bare =
        Item.of("bare", new Embedding(randomVector(new Random(seed + 2), 8), SMALL, Modality.TEXT));
    // when
    store.upsert(List.of(text, image, bare));
    // then
    assertSameRecord(store.get("note-1"), text, ctx(seed) + "text record");
    assertSameRecord(store.get("cat.jpg"), image, ctx(seed) + "image record");
    assertSameRecord(store.get("bare"), bare, ctx(seed) + "record without source");
    assertThat(store.count()).isEqualTo(3);
  }

  @Test
  void should_return_empty_for_an_unknown_id() throws IOException {
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    store.upsert(List.of(item("a", new float[] {1, 0, 0, 0, 0, 0, 0, 0}, SMALL, Modality.TEXT)));
    assertThat(store.get("b")).as("get of an id that was never written").isEmpty();
  }

  @Test
  void should_replace_vector_metadata_and_source_when_an_id_is_upserted_again() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    // given
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    Item first =
        item("x", randomVector(rnd, 8), SMALL, Modality.TEXT)
            .with("v", "1")
            .with("only-first", "yes");
    store.upsert(List.of(first, item("y", randomVector(rnd, 8), SMALL, Modality.TEXT)));
    // when
    Item second =
        new Item(
            "x",
            new Embedding(randomVector(rnd, 8), SMALL, Modality.IMAGE),
            Map.of("v", "2"),
            Source.image("new.jpg"));
    store.upsert(List.of(second));
    // then
    assertSameRecord(store.get("x"), second, ctx(seed) + "replaced record");
    assertThat(store.count()).as(ctx(seed) + "a replace must not add a record").isEqualTo(2);
  }

  @Test
  void should_delete_an_existing_id_and_ignore_a_missing_one() throws IOException {
    long seed = printSeed();
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(new Random(seed), "r", 10, SMALL);
    store.upsert(items);
    // when
    store.delete(List.of("r3", "never-there"));
    store.delete(List.of("r3"));
    // then
    assertThat(store.get("r3")).as(ctx(seed) + "deleted record").isEmpty();
    assertThat(store.count()).as(ctx(seed) + "count after deleting 1 of 10").isEqualTo(9);
    for (Item it : items)
      if (!it.id().equals("r3"))
        assertSameRecord(store.get(it.id()), it, ctx(seed) + "untouched record");
  }

  @Test
  void should_count_records_after_upserts_replaces_and_deletes() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    assertThat(store.count()).as("a new store").isZero();
    store.upsert(randomItems(rnd, "a", 30, SMALL));
    assertThat(store.count()).isEqualTo(30);
    store.upsert(randomItems(rnd, "a", 10, SMALL)); // replaces a0..a9
    assertThat(store.count()).as(ctx(seed) + "after replacing 10").isEqualTo(30);
    store.upsert(randomItems(rnd, "b", 5, SMALL));
    store.delete(List.of("a0", "a1", "b4"));
    assertThat(store.count()).as(ctx(seed) + "after 5 more and 3 deletes").isEqualTo(32);
  }

  @Test
  void should_do_nothing_for_an_empty_batch() throws IOException {
    long seed = printSeed();
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    store.upsert(randomItems(new Random(seed), "r", 5, SMALL));
    store.upsert(List.of());
    store.delete(List.of());
    assertThat(store.count()).as(ctx(seed) + "empty batches must change nothing").isEqualTo(5);
  }

  @Test
  void should_keep_the_last_record_when_a_batch_repeats_an_id() throws IOException {
    // The api collapses repeated ids (the last wins) before the store sees the batch; checked end
    // to end.
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("c");
    try (VectorCollection c = VectorCollection.create(dir, provider(), SMALL, settings())) {
      Item first = item("dup", randomVector(rnd, 8), SMALL, Modality.TEXT).with("n", "1");
      Item other = item("other", randomVector(rnd, 8), SMALL, Modality.TEXT);
      Item last = item("dup", randomVector(rnd, 8), SMALL, Modality.IMAGE).with("n", "2");
      c.upsert(List.of(first, other, last));
      assertThat(c.count()).as(ctx(seed) + "records after a batch with a repeated id").isEqualTo(2);
      assertSameRecord(c.get("dup"), last, ctx(seed) + "the last record of a repeated id");
    }
  }

  @Test
  void should_visit_every_record_once_with_forEach() throws IOException {
    long seed = printSeed();
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(new Random(seed), "r", 50, SMALL);
    store.upsert(items);
    store.delete(List.of("r7"));
    List<String> seen = new ArrayList<>();
    store.forEach(it -> seen.add(it.id()));
    List<String> expected =
        new ArrayList<>(items.stream().map(Item::id).filter(id -> !id.equals("r7")).toList());
    assertThat(seen)
        .as(ctx(seed) + "ids visited by forEach")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void should_see_its_own_writes_before_commit() throws IOException {
    long seed = printSeed();
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(new Random(seed), "r", 20, SMALL);
    store.upsert(items);
    store.commit();
    store.upsert(List.of(item("late", items.get(0).embedding().vector(), SMALL, Modality.TEXT)));
    store.delete(List.of("r1"));
    assertThat(store.get("late")).as(ctx(seed) + "an uncommitted upsert").isPresent();
    assertThat(store.get("r1")).as(ctx(seed) + "an uncommitted delete").isEmpty();
    assertThat(store.count()).isEqualTo(20);
    assertThat(ids(store.search(items.get(0).embedding().vector(), 20, Filter.ALL)))
        .as(ctx(seed) + "search before commit")
        .contains("late")
        .doesNotContain("r1");
  }

  // ================================================================== search

  @ParameterizedTest(name = "{0}")
  @EnumSource(Similarity.class)
  void should_return_hits_best_first_scored_on_the_similarity(Similarity sim) throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    ModelFingerprint fp = fingerprint(8, sim, false);
    VectorStore store = createStore(tempDir.resolve("s"), fp);
    List<Item> items = randomItems(rnd, "r", 100, fp);
    store.upsert(items);
    Map<String, float[]> vectors = new HashMap<>();
    for (Item it : items) vectors.put(it.id(), it.embedding().vector());
    int queries = 10;
    double found = 0;
    for (int q = 0; q < queries; q++) {
      float[] query = randomVector(rnd, 8);
      List<Hit> hits = store.search(query, 10, Filter.ALL);
      String why = ctx(seed) + sim.id() + " query " + q;
      assertThat(hits).as(why + ": 10 hits from 100 records").hasSize(10);
      assertThat(hits)
          .as(why + ": hits must be best first, ties by id (Hit.ORDER)")
          .isSortedAccordingTo(Hit.ORDER);
      assertScoresMatch(hits, vectors, query, sim, why);
      Set<String> truth = new HashSet<>(ids(exact(items, query, 10, Filter.ALL, sim)));
      found += hits.stream().filter(h -> truth.contains(h.id())).count() / 10.0;
    }
    // raw (unnormalized) vectors: for dot product this is maximum-inner-product search
    assertThat(found / queries)
        .as(ctx(seed) + sim.id() + ": recall@10 over 100 raw 8-d vectors")
        .isGreaterThanOrEqualTo(minimumRecall());
  }

  @Test
  void should_break_score_ties_by_ascending_id() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    float[] same = randomVector(rnd, 8);
    List<Item> items = new ArrayList<>(randomItems(rnd, "other-", 40, SMALL));
    // Inserted out of id order, so an insertion-ordered or internal-id-ordered tie-break shows.
    for (String id : List.of("tie-4", "tie-1", "tie-5", "tie-3", "tie-2"))
      items.add(item(id, same, SMALL, Modality.TEXT));
    store.upsert(items);
    List<Hit> hits = store.search(same, 3, Filter.ALL);
    assertThat(ids(hits))
        .as(ctx(seed) + "five records share the best score; the three smallest ids win, in order")
        .containsExactly("tie-1", "tie-2", "tie-3");
  }

  @Test
  void should_return_every_record_when_k_exceeds_the_count() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(rnd, "r", 7, SMALL);
    store.upsert(items);
    float[] query = randomVector(rnd, 8);
    List<Hit> hits = store.search(query, 50, Filter.ALL);
    assertThat(ids(hits))
        .as(ctx(seed) + "k=50 over 7 records")
        .containsExactlyElementsOf(ids(exact(items, query, 50, Filter.ALL, Similarity.COSINE)));
  }

  @Test
  void should_return_no_hits_from_an_empty_store() throws IOException {
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    assertThat(store.search(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 10, Filter.ALL)).isEmpty();
  }

  @Test
  void should_reject_k_below_one() throws IOException {
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    store.upsert(randomItems(new Random(seed()), "r", 5, SMALL));
    float[] q = {1, 0, 0, 0, 0, 0, 0, 0};
    // at the api: Query refuses with its documented message before any store is asked
    Embedding e = new Embedding(q, SMALL, Modality.TEXT);
    assertThatThrownBy(() -> Query.of(e).k(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be between 1 and " + Query.MAX_K + ", got 0.");
    assertThatThrownBy(() -> Query.of(e).k(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be between 1 and " + Query.MAX_K + ", got -3.");
    // at the store: the kit's rule is IllegalArgumentException, never an empty list or another
    // error
    assertThatThrownBy(() -> store.search(q, 0, Filter.ALL))
        .as("store.search(k=0)")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.search(q, -1, Filter.ALL))
        .as("store.search(k=-1)")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_filter_by_modality() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(rnd, "r", 60, SMALL); // even = image, odd = text
    store.upsert(items);
    float[] query = randomVector(rnd, 8);
    for (Set<Modality> only :
        List.of(
            EnumSet.of(Modality.TEXT), EnumSet.of(Modality.IMAGE), EnumSet.allOf(Modality.class))) {
      Filter f = Filter.of(only, null);
      List<Hit> hits = store.search(query, 10, f);
      assertThat(ids(hits))
          .as(ctx(seed) + "filter " + only)
          .containsExactlyElementsOf(ids(exact(items, query, 10, f, Similarity.COSINE)));
      assertThat(hits)
          .allSatisfy(h -> assertThat(only).as("modality of hit " + h.id()).contains(h.modality()));
    }
  }

  @Test
  void should_filter_by_metadata_equality() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      items.add(
          item("r" + i, randomVector(rnd, 8), SMALL, i % 2 == 0 ? Modality.IMAGE : Modality.TEXT)
              .with("album", "a" + (i % 3))
              .with("year", i % 5 == 0 ? "2024" : "2023"));
    }
    store.upsert(items);
    float[] query = randomVector(rnd, 8);
    List<Filter> filters =
        List.of(
            Filter.where("album").eq("a1"),
            Filter.where("album").eq("a2").and(Filter.where("year").eq("2024")),
            Filter.where("year").eq("2024").only(Modality.TEXT),
            Filter.where("album").eq("no-such-album"),
            Filter.where("missing-key").eq("x"));
    for (Filter f : filters) {
      List<Hit> hits = store.search(query, 10, f);
      assertThat(ids(hits))
          .as(ctx(seed) + "filter " + f)
          .containsExactlyElementsOf(ids(exact(items, query, 10, f, Similarity.COSINE)));
    }
  }

  @Test
  void should_return_k_hits_for_a_filter_matching_under_one_percent() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    ModelFingerprint fp = fingerprint(16, Similarity.COSINE, false);
    VectorStore store = createStore(tempDir.resolve("s"), fp);
    int n = 3000;
    int rare = 24; // 0.8 %
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(
          item("r" + i, randomVector(rnd, 16), fp, i % 2 == 0 ? Modality.IMAGE : Modality.TEXT)
              .with("tag", i % (n / rare) == 0 ? "rare" : "common"));
    }
    store.upsert(items);
    store.commit();
    Filter f = Filter.where("tag").eq("rare");
    assertThat(items.stream().filter(f::matches).count()).isEqualTo(rare);
    double found = 0;
    int queries = 20;
    for (int q = 0; q < queries; q++) {
      float[] query = randomVector(rnd, 16);
      List<Hit> hits = store.search(query, 10, f);
      assertThat(hits)
          .as(
              ctx(seed)
                  + "query "
                  + q
                  + ": a filter matching "
                  + rare
                  + " of "
                  + n
                  + " records must still give k=10 hits (filter inside the search, not after"
                  + " top-k)")
          .hasSize(10);
      assertThat(hits)
          .allSatisfy(
              h -> assertThat(h.metadata().get("tag")).as("hit " + h.id()).isEqualTo("rare"));
      Set<String> truth = new HashSet<>(ids(exact(items, query, 10, f, Similarity.COSINE)));
      found += hits.stream().filter(h -> truth.contains(h.id())).count() / 10.0;
    }
    double recall = found / queries;
    note(ctx(seed) + "selective filter recall@10 = " + recall);
    assertThat(recall)
        .as(ctx(seed) + "recall@10 of the selective filter")
        .isGreaterThanOrEqualTo(minimumRecall());
    // a filter matching fewer than k records returns exactly those
    Filter three = Filter.where("tag").eq("rare");
    store.delete(items.stream().filter(three::matches).skip(3).map(Item::id).toList());
    float[] query = randomVector(rnd, 16);
    assertThat(ids(store.search(query, 10, three)))
        .as(ctx(seed) + "only 3 records match")
        .containsExactlyElementsOf(
            ids(
                exact(
                    items.stream().filter(three::matches).limit(3).toList(),
                    query,
                    10,
                    three,
                    Similarity.COSINE)));
  }

  @Test
  void should_never_return_deleted_records() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> items = randomItems(rnd, "r", 200, SMALL);
    store.upsert(items);
    store.commit();
    List<Item> deleted = new ArrayList<>();
    for (int i = 0; i < items.size(); i += 4) deleted.add(items.get(i));
    store.delete(deleted.stream().map(Item::id).toList());
    Set<String> gone = new HashSet<>(deleted.stream().map(Item::id).toList());
    assertNoneReturned(store, deleted, gone, ctx(seed) + "before commit");
    store.commit();
    assertNoneReturned(store, deleted, gone, ctx(seed) + "after commit");
    store.close();
    VectorStore reopened = openStore(dir, false);
    assertNoneReturned(reopened, deleted, gone, ctx(seed) + "after reopen");
    assertThat(reopened.count()).isEqualTo(150);
  }

  private static void assertNoneReturned(
      VectorStore store, List<Item> deleted, Set<String> gone, String why) throws IOException {
    for (Item d : deleted) {
      // the deleted record's own vector is the query most likely to bring it back
      List<Hit> hits = store.search(d.embedding().vector(), 10, Filter.ALL);
      assertThat(hits).as(why + ": search with the vector of deleted '" + d.id() + "'").hasSize(10);
      assertThat(ids(hits))
          .as(why + ": search with the vector of deleted '" + d.id() + "'")
          .doesNotContainAnyElementsOf(gone);
      assertThat(store.get(d.id())).as(why + ": get of deleted '" + d.id() + "'").isEmpty();
    }
  }

  @Test
  void should_find_a_replaced_record_only_by_its_new_vector() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(rnd, "r", 100, SMALL);
    store.upsert(items);
    store.commit();
    float[] oldVector = items.get(10).embedding().vector();
    float[] newVector = new float[8];
    for (int i = 0; i < 8; i++) newVector[i] = -oldVector[i]; // as far away as cosine allows
    store.upsert(List.of(item("r10", newVector, SMALL, Modality.TEXT)));
    for (boolean committed : new boolean[] {false, true}) {
      if (committed) store.commit();
      String why = ctx(seed) + (committed ? "after commit" : "before commit");
      List<Hit> byNew = store.search(newVector, 1, Filter.ALL);
      assertThat(ids(byNew)).as(why + ": search with the new vector").containsExactly("r10");
      assertThat((double) byNew.get(0).score())
          .as(why + ": score against its own new vector")
          .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
      List<Hit> byOld = store.search(oldVector, 100, Filter.ALL);
      assertThat(byOld)
          .as(why + ": r10 is listed once")
          .filteredOn(h -> h.id().equals("r10"))
          .hasSize(1);
      Hit r10 = byOld.stream().filter(h -> h.id().equals("r10")).findFirst().orElseThrow();
      assertThat((double) r10.score())
          .as(why + ": r10 scored by its new vector against the old one")
          .isCloseTo(-1.0, org.assertj.core.data.Offset.offset(1e-4));
      assertThat(ids(byOld).get(0)).as(why + ": the old vector's best hit").isNotEqualTo("r10");
    }
  }

  // ================================================================== recall

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

  private static Modality opposite(Modality m) {
    return m == Modality.TEXT ? Modality.IMAGE : Modality.TEXT;
  }

  private VectorStore oracle(ModelFingerprint fp, List<Item> items) throws IOException {
    Path dir = tempDir.resolve("oracle");
    Files.createDirectories(dir);
    VectorStore oracle = track(new MemoryStoreProvider().create(StoreContext.of(dir), fp));
    oracle.upsert(items);
    return oracle;
  }

  private double recall(
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

  private static double recall(
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

  // ================================================================== fingerprint

  @Test
  void should_report_its_fingerprint_after_reopen() throws IOException {
    ModelFingerprint fp =
        ModelFingerprint.of(
            "vendor/model-with;odd=chars é", 8, Similarity.EUCLIDEAN, false, "ab".repeat(32));
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, fp);
    assertThat(store.fingerprint().canonical())
        .as("fingerprint of the new store")
        .isEqualTo(fp.canonical());
    store.upsert(List.of(item("a", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, fp, Modality.TEXT)));
    store.commit();
    store.close();
    VectorStore reopened = openStore(dir, false);
    assertThat(reopened.fingerprint().canonical())
        .as("fingerprint after reopen (name, dimension, similarity, normalized, digest)")
        .isEqualTo(fp.canonical());
  }

  @Test
  void should_be_refused_through_the_api_when_opened_with_another_fingerprint() throws IOException {
    long seed = printSeed();
    ModelFingerprint fp = fingerprint(8, Similarity.COSINE, false);
    ModelFingerprint other =
        ModelFingerprint.of(
            fp.name(), 8, Similarity.COSINE, false, "0".repeat(64)); // same name, other digest
    Path dir = tempDir.resolve("c").toAbsolutePath();
    try (VectorCollection c = VectorCollection.create(dir, provider(), fp, settings())) {
      c.upsert(randomItems(new Random(seed), "r", 5, fp));
      c.commit();
    }
    assertThatThrownBy(() -> VectorCollection.open(dir, other, provider(), false))
        .isInstanceOf(FingerprintMismatchException.class)
        .hasMessage(
            new FingerprintMismatchException("open of collection " + dir, fp, other).getMessage());
    // the right fingerprint opens, which also checks the store's own report against the manifest
    try (VectorCollection c = VectorCollection.open(dir, fp, provider(), false)) {
      assertThat(c.count()).as(ctx(seed) + "records after reopen through the api").isEqualTo(5);
      assertThat(c.fingerprint()).isEqualTo(fp);
      Embedding foreign = new Embedding(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, other, Modality.TEXT);
      assertThatThrownBy(() -> c.search(foreign, 3))
          .isInstanceOf(FingerprintMismatchException.class)
          .hasMessage(new FingerprintMismatchException("query", fp, other).getMessage());
      assertThatThrownBy(() -> c.upsert(Item.of("z", foreign)))
          .isInstanceOf(FingerprintMismatchException.class)
          .hasMessage(
              new FingerprintMismatchException("write of record 'z'", fp, other).getMessage());
    }
  }

  @Test
  void should_refuse_bad_vectors_at_the_api_gate_before_the_store_sees_them() throws IOException {
    ModelFingerprint fp = fingerprint(4, Similarity.COSINE, false);
    try (VectorCollection c =
        VectorCollection.create(tempDir.resolve("c"), provider(), fp, settings())) {
      Item good = Item.of("good", new Embedding(new float[] {1, 2, 3, 4}, fp, Modality.TEXT));
      Item bad = Item.of("bad", new Embedding(new float[] {1, Float.NaN, 3, 4}, fp, Modality.TEXT));
      assertThatThrownBy(() -> c.upsert(List.of(good, bad)))
          .isInstanceOf(NonFiniteVectorException.class)
          .hasMessage(
              "Write of record 'bad': component 1 of the vector is NaN; vectors must be finite. "
                  + "Check the encoder's input and output for this item.");
      assertThat(c.count()).as("a batch with one bad vector writes nothing").isZero();
    }
  }

  // ================================================================== persistence

  @Test
  void should_keep_everything_committed_across_close_and_reopen() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    // several batches, deletes and replaces, then one commit: the last batch must be in it too
    List<Item> a = randomItems(rnd, "a", 40, SMALL);
    store.upsert(a);
    store.commit();
    List<Item> b = randomItems(rnd, "b", 40, SMALL);
    store.upsert(b);
    store.delete(List.of("a0", "a1"));
    Item replaced = item("a2", randomVector(rnd, 8), SMALL, Modality.IMAGE).with("k", "v");
    store.upsert(List.of(replaced));
    List<Item> c = randomItems(rnd, "c", 3, SMALL);
    store.upsert(c);
    store.commit();
    Map<String, Item> expected = new TreeMap<>();
    for (Item it : a) expected.put(it.id(), it);
    for (Item it : b) expected.put(it.id(), it);
    for (Item it : c) expected.put(it.id(), it);
    expected.remove("a0");
    expected.remove("a1");
    expected.put("a2", replaced);
    store.close();
    for (int round = 1; round <= 2; round++) {
      VectorStore reopened = openStore(dir, false);
      String why = ctx(seed) + "reopen " + round;
      assertThat(reopened.count()).as(why + ": count").isEqualTo(expected.size());
      for (Item it : expected.values()) assertSameRecord(reopened.get(it.id()), it, why);
      assertThat(reopened.get("a0")).as(why + ": deleted a0").isEmpty();
      float[] q = c.get(2).embedding().vector();
      assertThat(ids(reopened.search(q, 5, Filter.ALL)))
          .as(why + ": search after reopen")
          .containsExactlyElementsOf(
              ids(exact(List.copyOf(expected.values()), q, 5, Filter.ALL, Similarity.COSINE)));
      reopened.close();
    }
  }

  @Test
  void should_keep_an_uncommitted_batch_all_or_nothing_after_reopen() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> committed = randomItems(rnd, "c", 50, SMALL);
    store.upsert(committed);
    store.commit();
    List<Item> pending = randomItems(rnd, "p", 300, SMALL);
    store.upsert(pending);
    store.close();
    VectorStore reopened = openStore(dir, false);
    long present = 0;
    for (Item it : pending) if (reopened.get(it.id()).isPresent()) present++;
    assertThat(present)
        .as(ctx(seed) + "records of the uncommitted batch of 300 after reopen: all or none")
        .isIn(0L, 300L);
    for (Item it : committed)
      assertSameRecord(reopened.get(it.id()), it, ctx(seed) + "committed record");
    assertThat(reopened.count()).isEqualTo(50 + present);
  }

  @Test
  void should_discard_uncommitted_writes_on_close() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> committed = randomItems(rnd, "c", 20, SMALL);
    store.upsert(committed);
    store.commit();
    store.upsert(randomItems(rnd, "p", 5, SMALL));
    store.delete(List.of("c0"));
    store.close();
    VectorStore reopened = openStore(dir, false);
    assertThat(reopened.count())
        .as(ctx(seed) + "VectorStore#close discards uncommitted writes")
        .isEqualTo(20);
    assertThat(reopened.get("p0")).isEmpty();
    assertSameRecord(
        reopened.get("c0"), committed.get(0), ctx(seed) + "an uncommitted delete is discarded");
  }

  @Test
  void should_open_read_only_with_everything_committed() throws IOException {
    Assumptions.assumeTrue(
        supportsReadOnlyOpen(), "skipped: the backend declares supportsReadOnlyOpen() = false");
    long seed = printSeed();
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> items = randomItems(new Random(seed), "r", 30, SMALL);
    store.upsert(items);
    store.commit();
    store.close();
    VectorStore ro = openStore(dir, true);
    assertThat(ro.count()).isEqualTo(30);
    for (Item it : items) assertSameRecord(ro.get(it.id()), it, ctx(seed) + "read-only open");
    float[] q = items.get(3).embedding().vector();
    assertThat(ids(ro.search(q, 3, Filter.ALL)))
        .containsExactlyElementsOf(ids(exact(items, q, 3, Filter.ALL, Similarity.COSINE)));
  }

  @Test
  void should_keep_every_committed_record_when_the_writer_process_is_killed() throws Exception {
    Assumptions.assumeTrue(
        supportsCrashRecoveryTest(),
        "skipped: the backend declares supportsCrashRecoveryTest() = false");
    long seed = printSeed();
    ModelFingerprint fp = fingerprint(CrashWriter.DIMENSION, Similarity.COSINE, false);
    Path dir = tempDir.resolve("s").toAbsolutePath();
    VectorStore created = createStore(dir, fp);
    created.commit();
    created.close();
    int killAfter = 3;
    int batchSize = 200;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(crashTestJvmArguments());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            CrashWriter.class.getName(),
            provider().getClass().getName(),
            dir.toString(),
            fp.canonical(),
            Long.toString(seed),
            Integer.toString(batchSize),
            "100000"));
    settings().forEach((k, v) -> command.add(k + "=" + v));
    Path stderr = tempDir.resolve("writer.stderr");
    Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    int lastSeen = -1;
    List<String> lines = new ArrayList<>();
    java.util.concurrent.BlockingQueue<String> queue =
        new java.util.concurrent.LinkedBlockingQueue<>();
    String eof = "\u0000eof";
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) queue.add(line);
              } catch (IOException e) {
                // the process was killed: its stdout closes
              } finally {
                queue.add(eof);
              }
            },
            "conformance-crash-writer-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      while (lastSeen + 1 < killAfter) {
        String line =
            queue.poll(
                5,
                TimeUnit
                    .MINUTES); // a safety net against a writer that hangs, not a timing assertion
        if (line == null || line.equals(eof)) break;
        lines.add(line);
        if (line.startsWith(CrashWriter.COMMITTED))
          lastSeen = Integer.parseInt(line.substring(CrashWriter.COMMITTED.length()).trim());
      }
      // kill while the writer is inside the next batch's writes or commit
      p.destroyForcibly();
      p.waitFor(60, TimeUnit.SECONDS);
    } finally {
      p.destroyForcibly();
    }
    if (lastSeen + 1 < killAfter) {
      fail(
          ctx(seed)
              + "the writer process ended before committing "
              + killAfter
              + " batches; its output: "
              + lines
              + "; its errors: "
              + Files.readString(stderr));
    }
    note(ctx(seed) + "killed the writer after it reported batch " + lastSeen + " committed");
    VectorStore reopened = openStore(dir, false);
    assertThat(reopened.fingerprint()).isEqualTo(fp);
    long total = 0;
    boolean gapSeen = false;
    for (int b = 0; b <= lastSeen + 50; b++) {
      List<Item> batch = CrashWriter.batch(fp, seed, b, batchSize);
      int present = 0;
      for (Item it : batch) if (reopened.get(it.id()).isPresent()) present++;
      String why =
          ctx(seed)
              + "batch "
              + b
              + " after killing the writer (last reported commit: "
              + lastSeen
              + ")";
      if (b <= lastSeen) {
        assertThat(present).as(why + ": committed records must survive").isEqualTo(batchSize);
        for (int i = 0; i < batch.size(); i += 37)
          assertSameRecord(reopened.get(batch.get(i).id()), batch.get(i), why);
      } else {
        assertThat(present).as(why + ": a batch is all there or all absent").isIn(0, batchSize);
        if (present > 0)
          assertThat(gapSeen)
              .as(why + ": commits are ordered, so no batch after a missing one")
              .isFalse();
        if (present == 0) gapSeen = true;
      }
      total += present;
    }
    assertThat(reopened.count())
        .as(ctx(seed) + "count equals the whole batches found")
        .isEqualTo(total);
  }

  // ================================================================== concurrency

  @Test
  void should_stay_consistent_under_concurrent_writers_and_readers() throws Exception {
    long seed = printSeed();
    int writers = supportsConcurrentWriters() ? 2 : 1;
    int readers = 2;
    int ops = concurrentOperations();
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> base = randomItems(new Random(seed), "base-", 50, SMALL);
    store.upsert(base);
    store.commit();
    Map<String, float[]> vectors = new ConcurrentHashMap<>();
    for (Item it : base) vectors.put(it.id(), it.embedding().vector());
    Set<String> deletedDone = ConcurrentHashMap.newKeySet();
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger writersLeft = new AtomicInteger(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        int wi = w;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    for (int i = 0; i < ops; i++) {
                      Item it = writerItem(seed, wi, i);
                      vectors.put(
                          it.id(),
                          it.embedding()
                              .vector()); // known before the write, so a reader may see it
                      store.upsert(List.of(it));
                      if (i % 4 == 3) {
                        String victim = "w" + wi + "-" + (i - 2);
                        store.delete(List.of(victim));
                        deletedDone.add(victim);
                      }
                      if (wi == 0 && i % 100 == 99) store.commit();
                    }
                  } finally {
                    writersLeft.decrementAndGet();
                  }
                  return null;
                }));
      }
      for (int r = 0; r < readers; r++) {
        int ri = r;
        futures.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(seed * 31 + ri);
                  start.await();
                  for (int j = 0; j < ops * writers; j++) {
                    Set<String> goneBefore = Set.copyOf(deletedDone);
                    float[] q = randomVector(rnd, 8);
                    List<Hit> hits = store.search(q, 10, Filter.ALL);
                    assertThat(hits)
                        .as("reader %d search %d: sorted", ri, j)
                        .isSortedAccordingTo(Hit.ORDER);
                    assertScoresMatch(
                        hits,
                        vectors,
                        q,
                        Similarity.COSINE,
                        ctx(seed) + "reader " + ri + " search " + j);
                    for (Hit h : hits) {
                      assertThat(goneBefore)
                          .as(
                              ctx(seed)
                                  + "reader %d search %d returned '%s', deleted before the search"
                                  + " began",
                              ri,
                              j,
                              h.id())
                          .doesNotContain(h.id());
                    }
                    long n = store.count();
                    assertThat(n)
                        .as("count during writes")
                        .isBetween(1L, 50L + (long) writers * ops);
                    if (j % 10 == 0) store.get("base-" + rnd.nextInt(50)).orElseThrow();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        try {
          f.get(5, TimeUnit.MINUTES); // a safety net against a deadlock, not a timing assertion
        } catch (java.util.concurrent.ExecutionException e) {
          throw new AssertionError(
              ctx(seed) + "a concurrent reader or writer failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    // the sequential expectation: each writer owns its ids, so the final state is known
    Map<String, Item> expected = new LinkedHashMap<>();
    for (Item it : base) expected.put(it.id(), it);
    for (int w = 0; w < writers; w++) {
      for (int i = 0; i < ops; i++) expected.put("w" + w + "-" + i, writerItem(seed, w, i));
      for (int i = 3; i < ops; i += 4) expected.remove("w" + w + "-" + (i - 2));
    }
    store.commit();
    checkState(store, expected, ctx(seed) + "after concurrent writes");
    store.close();
    checkState(openStore(dir, false), expected, ctx(seed) + "after concurrent writes and reopen");
  }

  private static Item writerItem(long seed, int writer, int i) {
    Random rnd = new Random(seed ^ (writer * 1_000_003L + i * 7919L));
    return item(
        "w" + writer + "-" + i,
        randomVector(rnd, 8),
        SMALL,
        i % 2 == 0 ? Modality.IMAGE : Modality.TEXT);
  }

  private void checkState(VectorStore store, Map<String, Item> expected, String why)
      throws IOException {
    assertThat(store.count()).as(why + ": count").isEqualTo(expected.size());
    Set<String> seen = new HashSet<>();
    store.forEach(it -> seen.add(it.id()));
    assertThat(seen).as(why + ": ids").containsExactlyInAnyOrderElementsOf(expected.keySet());
    int i = 0;
    for (Item it : expected.values()) {
      if (i++ % 7 == 0) assertSameRecord(store.get(it.id()), it, why);
    }
  }

  // ================================================================== provider

  @Test
  void should_name_and_describe_the_provider_as_the_spi_says() {
    VectorStoreProvider p = provider();
    assertThat(p.name())
        .as("VectorStoreProvider.name(): lower case, no spaces")
        .matches("[a-z0-9][a-z0-9._-]*");
    assertThat(p.description())
        .as("VectorStoreProvider.description()")
        .isNotBlank()
        .doesNotContain("\n");
    assertThat(p.settingNames()).as("settingNames()").isNotNull().containsAll(settings().keySet());
  }

  @Test
  void should_be_refused_through_the_api_when_given_an_unknown_setting() {
    Map<String, String> bad = new TreeMap<>(settings());
    bad.put("no-such-setting", "1");
    java.util.TreeSet<String> known = new java.util.TreeSet<>(provider().settingNames());
    assertThatThrownBy(() -> VectorCollection.create(tempDir.resolve("c"), provider(), SMALL, bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "The '"
                + provider().name()
                + "' store has no setting 'no-such-setting'. Known settings: "
                + (known.isEmpty() ? "none" : known)
                + ".");
  }

  // ================================================================== lifecycle

  @Test
  void should_throw_ClosedException_for_every_call_after_close() throws IOException {
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    Item it = item("a", new float[] {1, 0, 0, 0, 0, 0, 0, 0}, SMALL, Modality.TEXT);
    store.upsert(List.of(it));
    store.commit();
    store.close();
    float[] q = {1, 0, 0, 0, 0, 0, 0, 0};
    Map<String, org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls =
        new LinkedHashMap<>();
    calls.put("fingerprint()", store::fingerprint);
    calls.put("upsert", () -> store.upsert(List.of(it)));
    calls.put("delete", () -> store.delete(List.of("a")));
    calls.put("get", () -> store.get("a"));
    calls.put("count()", store::count);
    calls.put("search", () -> store.search(q, 1, Filter.ALL));
    calls.put("forEach", () -> store.forEach(x -> {}));
    calls.put("commit()", store::commit);
    calls.forEach(
        (name, call) ->
            assertThatThrownBy(call)
                .as(name + " after close")
                .isInstanceOf(ClosedException.class)
                .hasMessageEndingWith(" is closed; open it again to use it."));
  }

  @Test
  void should_ignore_a_second_close() throws IOException {
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    store.upsert(List.of(item("a", new float[] {1, 0, 0, 0, 0, 0, 0, 0}, SMALL, Modality.TEXT)));
    store.commit();
    store.close();
    assertThatCode(store::close).as("a second close").doesNotThrowAnyException();
    VectorStore reopened = openStore(dir, false);
    assertThat(reopened.count()).as("the store after a double close").isEqualTo(1);
  }
}
