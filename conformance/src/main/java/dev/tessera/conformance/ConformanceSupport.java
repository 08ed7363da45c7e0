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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks a backend's test overrides and the helpers every part of the kit uses; the parts of the
 * contract extend it one after the other, and {@link VectorStoreConformance} is the last of them.
 */
abstract class ConformanceSupport {
  /**
   * System property that pins the seed of every test (a number); unset or {@code random}, each run
   * draws its own and a failure names it.
   */
  public static final String SEED_PROPERTY = "tessera.conformance.seed";

  /** The seed this repository's own build pins (the root pom sets {@value #SEED_PROPERTY}). */
  public static final long CI_SEED = 20_260_611L;

  /** This JVM's seed: {@value #SEED_PROPERTY} when it is a number, else drawn once. */
  private static final long RUN_SEED = KitSeed.fromProperty(System.getProperty(SEED_PROPERTY));

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
   * Every failure's message starts with the store, the seed, the rule (the kit test) and the exact
   * rerun line; a skip (an assumption) passes through unchanged.
   */
  @RegisterExtension
  final TestExecutionExceptionHandler nameTheRun =
      (context, cause) -> {
        throw KitSeed.withRerunLine(cause, provider().name(), seed(), context);
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
   * of 1e-5 (override {@link #vectorErrorBound()} for a larger one).
   */
  protected boolean storesVectorsExactly() {
    return true;
  }

  /**
   * The largest relative error of a stored vector, {@code |stored - written| / |written|} (L2),
   * that the store promises; 0 (the default when {@link #storesVectorsExactly()}) means bit for
   * bit, and the default otherwise is 1e-5. A quantized store (float16, int8, PQ, binary) declares
   * its bound here and {@link #minimumRecall()} as its recall floor, and is held to them instead of
   * exactness: vectors from {@code get} and {@code sample} must lie within the bound, scores within
   * what the bound allows, and search results must be a top k of the exact oracle up to those
   * scores' uncertainty (near ties may swap, a clearly better record may not be missed). What the
   * vendor gives up: the kit no longer proves exact vectors or the exact order of near ties, and
   * documents that its users get vectors only within this bound.
   */
  protected double vectorErrorBound() {
    return storesVectorsExactly() ? 0 : 1e-5;
  }

  /**
   * Whether the store keeps its data across close and open; default true. A store that lives only
   * in memory declares false, and every test that needs a reopen shows as a skip naming this hook
   * (the in-process parts of tests that also reopen still run). What the vendor gives up: the kit
   * proves nothing about durability, crash safety, read-only opens or the fingerprint on disk, and
   * the api can not reopen such a collection.
   */
  protected boolean supportsPersistence() {
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

  /** The seed of this run: {@value #SEED_PROPERTY} when it is set to a number, else drawn. */
  protected long seed() {
    return RUN_SEED;
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

  /** Skips the rest of the test (a named skip) when the store declares it keeps nothing. */
  void assumePersistent(String what) {
    Assumptions.assumeTrue(
        supportsPersistence(),
        "skipped: the backend declares supportsPersistence() = false, and " + what);
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
    assertVectorWithinBound(
        a.embedding().vector(),
        expected.embedding().vector(),
        why + ": vector of " + expected.id());
  }

  /** Whether {@code a} is record {@code e}: all but the vector equal, the vector within bound. */
  boolean sameRecord(Item a, Item e) {
    return a.id().equals(e.id())
        && a.modality() == e.modality()
        && a.metadata().equals(e.metadata())
        && a.source().equals(e.source())
        && withinBound(a.embedding().vector(), e.embedding().vector());
  }

  /** Whether {@code stored} is {@code written} within {@link #vectorErrorBound()}. */
  boolean withinBound(float[] stored, float[] written) {
    if (stored.length != written.length) return false;
    double bound = vectorErrorBound();
    if (bound == 0) return java.util.Arrays.equals(stored, written);
    return relativeError(stored, written) <= bound * (1 + 1e-6) + 1e-12;
  }

  static double relativeError(float[] stored, float[] written) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < written.length; i++) {
      double d = (double) stored[i] - written[i];
      diff += d * d;
      norm += (double) written[i] * written[i];
    }
    return Math.sqrt(diff) / Math.max(Math.sqrt(norm), Double.MIN_NORMAL);
  }

  void assertVectorWithinBound(float[] stored, float[] written, String why) {
    assertThat(stored).as(why + ": length").hasSize(written.length);
    if (vectorErrorBound() == 0) {
      assertThat(stored)
          .as(why + " (bit for bit; override vectorErrorBound() if the store rounds)")
          .containsExactly(written);
    } else {
      assertThat(relativeError(stored, written))
          .as(why + ": relative L2 error (the declared vectorErrorBound())")
          .isLessThanOrEqualTo(vectorErrorBound() * (1 + 1e-6) + 1e-12);
    }
  }

  /**
   * How far a score from the store may lie from the exact score of {@code written}: float rounding,
   * plus what the declared {@link #vectorErrorBound()} allows on the similarity's scale.
   */
  double scoreTolerance(float[] query, float[] written, Similarity sim, double exactScore) {
    double b = vectorErrorBound();
    double rounding = 1e-4 * Math.max(1, Math.abs(exactScore));
    if (b == 0) return rounding;
    double v = norm(written);
    return rounding
        + switch (sim) {
          case COSINE -> 2 * b;
          case DOT_PRODUCT -> b * v * norm(query);
          case EUCLIDEAN -> b * v;
        };
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    return Math.sqrt(s);
  }

  /**
   * Hits must be the exact top k of {@code items} for {@code query}: the same ids in order for an
   * exact store; for one that declares a {@link #vectorErrorBound()}, as many hits, each a matching
   * record whose exact score is no worse than the exact k-th best beyond both scores' tolerance.
   */
  void assertTopK(
      List<Hit> hits,
      List<Item> items,
      float[] query,
      int k,
      Filter filter,
      Similarity sim,
      String why) {
    List<Hit> truth = exact(items, query, k, filter, sim);
    if (vectorErrorBound() == 0) {
      assertThat(ids(hits)).as(why + ": the exact top " + k).containsExactlyElementsOf(ids(truth));
      return;
    }
    assertThat(hits).as(why + ": hits (best first, Hit.ORDER)").isSortedAccordingTo(Hit.ORDER);
    assertThat(ids(hits)).as(why + ": number of hits").hasSameSizeAs(truth);
    Map<String, Item> byId = new java.util.HashMap<>();
    for (Item it : items) byId.put(it.id(), it);
    if (truth.isEmpty()) return;
    Hit last = truth.get(truth.size() - 1);
    float[] lastVector = byId.get(last.id()).embedding().vector();
    double lastSlack = scoreTolerance(query, lastVector, sim, last.score());
    for (Hit h : hits) {
      Item it = byId.get(h.id());
      assertThat(it).as(why + ": hit '" + h.id() + "' is no record written").isNotNull();
      assertThat(filter.matches(it)).as(why + ": hit '" + h.id() + "' matches the filter").isTrue();
      float[] v = it.embedding().vector();
      double score = QueryScorer.of(sim, query).score(v);
      assertThat(score)
          .as(
              why
                  + ": exact score of hit '"
                  + h.id()
                  + "' against the exact k-th best '"
                  + last.id()
                  + "' within the declared vectorErrorBound()")
          .isGreaterThanOrEqualTo(last.score() - lastSlack - scoreTolerance(query, v, sim, score));
    }
  }

  void assertScoresMatch(
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
              org.assertj.core.data.Offset.offset(scoreTolerance(query, v, sim, expected)));
    }
  }
}
