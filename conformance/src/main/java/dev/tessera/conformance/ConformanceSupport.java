package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks a backend's test overrides and the helpers every part of the kit uses; the parts of the
 * contract extend it one after the other, and {@link VectorStoreConformance} is the last of them.
 */
abstract class ConformanceSupport {
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

  /**
   * Only the kit's own parts extend it; a backend's test extends {@link VectorStoreConformance}.
   */
  ConformanceSupport() {}

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

  VectorStore track(VectorStore s) {
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

  long printSeed() {
    long seed = seed();
    note(testName + " seed=" + seed + " (rerun with -D" + SEED_PROPERTY + "=" + seed + ")");
    return seed;
  }

  /**
   * A line about this test (its seed, a measured recall): printed to stderr if the test fails, or
   * at once with {@code -D}{@value #VERBOSE_PROPERTY}{@code =true}; a passing run prints nothing.
   */
  void note(String line) {
    String l = "[conformance] " + line;
    if (Boolean.getBoolean(VERBOSE_PROPERTY)) System.out.println(l);
    else notes.add(l);
  }

  String ctx(long seed) {
    return "[" + provider().name() + ", seed=" + seed + "] ";
  }

  static final ModelFingerprint SMALL = fingerprint(8, Similarity.COSINE, false);

  static float[] randomVector(Random rnd, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) v[i] = (float) rnd.nextGaussian();
    return v;
  }

  static Item item(String id, float[] v, ModelFingerprint fp, Modality m) {
    return new Item(
        id,
        new Embedding(v, fp, m),
        Map.of(),
        m == Modality.TEXT ? Source.text("text of " + id) : Source.image("img/" + id + ".jpg"));
  }

  static List<Item> randomItems(Random rnd, String prefix, int n, ModelFingerprint fp) {
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Modality m = i % 2 == 0 ? Modality.IMAGE : Modality.TEXT;
      items.add(item(prefix + i, randomVector(rnd, fp.dimension()), fp, m));
    }
    return items;
  }

  /** The exact top k of {@code items} for {@code query}: the oracle for small cases. */
  static List<Hit> exact(List<Item> items, float[] query, int k, Filter filter, Similarity sim) {
    List<Hit> all = new ArrayList<>();
    for (Item it : items)
      if (filter.matches(it))
        all.add(Hit.of(it, QueryScorer.of(sim, query).score(it.embedding().vector())));
    all.sort(Hit.ORDER);
    return all.subList(0, Math.min(k, all.size()));
  }

  static List<String> ids(List<Hit> hits) {
    return hits.stream().map(Hit::id).toList();
  }

  void assertSameRecord(Optional<Item> actual, Item expected, String why) {
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

  static void assertScoresMatch(
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
}
