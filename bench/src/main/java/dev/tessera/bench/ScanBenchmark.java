package dev.tessera.bench;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.math.Kernels;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStores;
import dev.tessera.synthetic.ClipLikeVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The exact {@code memory} scan against the read bandwidth of one core, in one run: {@link #scan()}
 * is one top-10 search of the memory store over {@code n} CLIP-like 512-d vectors, {@link
 * #bulkDot()} the bulk kernel alone over a matrix of the same size, and {@link #readBandwidth()} a
 * sum of every float of that matrix (the least work that still reads every byte). Each reads {@code
 * n × dim × 4} bytes per call, so bytes / time compares them as GB/s.
 *
 * <p>Pitfalls avoided: the matrix (200 MB at 100k) is far larger than the last-level cache share,
 * so every call streams from memory; queries rotate; every result is returned.
 */
// Average time per pass: bytes / time is the bandwidth.
@BenchmarkMode(Mode.AverageTime)
// Milliseconds: one pass over 200 MB takes about ten of them.
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// One store shared by the benchmark thread; nothing is written after setup.
@State(Scope.Benchmark)
// A pass is ~10 ms, so one second holds ~100 of them; two warm-ups compile the scan loops.
@Warmup(iterations = 2, time = 1)
// Five iterations for a median and spread on a shared machine.
@Measurement(iterations = 5, time = 1)
// One fork; the heap holds the store's records and matrix plus the benchmark's own matrix.
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms3g", "-Xmx3g"})
public class ScanBenchmark {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  // 100k × 512 as in SearchBenchmark: 204.8 MB of vectors.
  @Param({"100000"})
  public int n;

  // Non-final so nothing folds.
  float[][] queries;
  int next;
  float[] matrix;
  float[] out;
  VectorStore store;
  Path dir;

  /** Builds the in-memory store (no commit: the scan is what is measured) and the matrix. */
  // Trial level: building takes seconds, so once per fork.
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    int dim = 512; // CLIP ViT-B/32 embedding size
    long seed = 42; // the harness's default seed, as SearchBenchmark
    ClipLikeVectors gen = new ClipLikeVectors(seed, dim, Math.max(8, n / 1000), 1.0, 0.8);
    queries = gen.vectors(256, 1); // 256 queries, a power of two for the rotation mask
    float[][] corpus = gen.vectors(n, 0);
    matrix = new float[n * dim];
    for (int i = 0; i < n; i++) System.arraycopy(corpus[i], 0, matrix, i * dim, dim);
    out = new float[n];
    ModelFingerprint fp =
        ModelFingerprint.of(
            "synthetic-clip-like",
            dim,
            Similarity.COSINE,
            true,
            "5d41402abc4b2a76b9719d911017c592" + "5d41402abc4b2a76b9719d911017c592");
    dir = Files.createTempDirectory("tessera-scan-bench");
    store = VectorStores.provider("memory").create(new StoreContext(dir, Map.of(), false), fp);
    for (int from = 0; from < n; from += 5_000) { // the harness's upsert batch size
      List<Item> items = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 5_000); i++) {
        items.add(
            Item.of(Harness.id(i), new Embedding(corpus[i], fp, ClipLikeVectors.modalityOf(i))));
      }
      store.upsert(items);
    }
    store.search(queries[0], 10, Filter.ALL); // builds the store's scan matrix outside the timing
    System.out.println(
        "ScanBenchmark: n " + n + ", dim " + dim + ", " + (long) n * dim * 4 + " bytes per pass");
  }

  /** Closes the store and removes its directory. */
  // Trial level, matching setUp.
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    Harness.deleteTree(dir);
  }

  /** One exact top-10 search of the memory store (cosine, all modalities). */
  // Benchmark: the hits are returned so the search is not dead code.
  @Benchmark
  public List<Hit> scan() throws IOException {
    float[] q = queries[next];
    next = (next + 1) & 255;
    return store.search(q, 10, Filter.ALL);
  }

  /** The bulk dot kernel over the whole matrix: the scan without the store around it. */
  // Benchmark: the scores are returned.
  @Benchmark
  public float[] bulkDot() {
    float[] q = queries[next];
    next = (next + 1) & 255;
    Kernels.get().dotBulk(q, matrix, n, out);
    return out;
  }

  /**
   * Read bandwidth: the sum of every float of the matrix with four vector accumulators, i.e. one
   * load per element and a lane-wise add that never waits on memory's behalf.
   */
  // Benchmark: the sum is returned.
  @Benchmark
  public float readBandwidth() {
    float[] m = matrix;
    int l = S.length();
    FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
    int i = 0;
    for (int bound = m.length - 4 * l; i <= bound; i += 4 * l) {
      s0 = s0.add(FloatVector.fromArray(S, m, i));
      s1 = s1.add(FloatVector.fromArray(S, m, i + l));
      s2 = s2.add(FloatVector.fromArray(S, m, i + 2 * l));
      s3 = s3.add(FloatVector.fromArray(S, m, i + 3 * l));
    }
    float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    for (; i < m.length; i++) s += m[i];
    return s;
  }
}
