package dev.tessera.bench;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.math.Kernels;
import dev.tessera.api.math.VectorKernel;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.api.spi.VectorStores;
import dev.tessera.synthetic.ClipLikeVectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recall/QPS harness: builds each backend over seeded CLIP-like vectors through the store SPI,
 * sweeps its search-effort setting, and reports recall@10 against an exact brute-force oracle, QPS
 * with 1 and 2 threads, p50/p99 latency, build time, bytes on disk and heap bytes per vector, as
 * JSON, a Markdown table and recall-vs-QPS PNG plots. Run with {@code --help} for the options.
 */
public final class Harness {
  private static final Logger LOG = LoggerFactory.getLogger(Harness.class);
  private static final int K = 10;

  private Harness() {}

  /**
   * One backend to measure: a provider, its build settings and the setting swept at search time.
   */
  public record Backend(
      String label,
      String provider,
      Map<String, String> build,
      String effortKey,
      List<String> effortValues) {}

  /** One measured point. */
  public record Point(
      String dataset,
      int n,
      int dim,
      String backend,
      String effortKey,
      String effort,
      double recall,
      double qps1,
      double qps2,
      double p50Ms,
      double p99Ms,
      double buildSeconds,
      long diskBytes,
      double heapBytesPerVector,
      int queries,
      String note) {}

  /** Entry point; see {@link HarnessOptions#usage()}. */
  public static void main(String[] args) throws Exception {
    HarnessOptions o = HarnessOptions.parse(args);
    if (o == null) {
      System.out.println(HarnessOptions.usage());
      return;
    }
    run(o);
  }

  /** Runs the harness with parsed options and returns the points it wrote. */
  static List<Point> run(HarnessOptions o) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(o.out);
    Path work = o.work != null ? o.work : Files.createTempDirectory("tessera-bench");
    VectorKernel kernel = Kernels.get();
    List<Point> points = new ArrayList<>();
    Map<String, String> env = Machine.describe();
    env.put("kernel", kernel.name());
    env.put("started", java.time.Instant.now().toString());
    env.put("loadBefore", Machine.loadAverage());
    for (int n : o.sizes) {
      String dataset = "synthetic-clip-like-" + o.dim + "d";
      // about 1000 vectors per cluster, the default gap and spread
      ClipLikeVectors gen = new ClipLikeVectors(o.seed, o.dim, Math.max(8, n / 1000), 1.0, 0.8);
      LOG.info(
          "Generating {} corpus vectors and {} queries ({}-d, seed {})",
          n,
          o.queries,
          o.dim,
          o.seed);
      float[][] corpus = gen.vectors(n, 0);
      float[][] queries = gen.vectors(o.queries, 1);
      ModelFingerprint fp =
          ModelFingerprint.of(
              "synthetic-clip-like",
              o.dim,
              Similarity.COSINE,
              true,
              sha256("tessera-bench synthetic dim=" + o.dim + " seed=" + o.seed));
      runDataset(o, env, points, work, kernel, dataset, corpus, queries, fp);
    }
    if (o.model != null) {
      LOG.info(
          "Drawing and embedding {} pictures and their captions with the model in {}",
          o.pictures,
          o.model);
      EmbeddedScenes.Data d =
          EmbeddedScenes.embed(o.model, o.pictures, o.queries, o.seed, work.resolve("pictures"));
      String dataset =
          "pictures+captions-" + d.fingerprint().name() + "-" + d.corpus()[0].length + "d";
      runDataset(o, env, points, work, kernel, dataset, d.corpus(), d.queries(), d.fingerprint());
    }
    env.put("loadAfter", Machine.loadAverage());
    env.put("finished", java.time.Instant.now().toString());
    Report.write(o.out, env, points);
    if (o.work == null) deleteTree(work);
    return points;
  }

  private static void runDataset(
      HarnessOptions o,
      Map<String, String> env,
      List<Point> points,
      Path work,
      VectorKernel kernel,
      String dataset,
      float[][] corpus,
      float[][] queries,
      ModelFingerprint fp)
      throws Exception {
    int n = corpus.length;
    long t0 = System.nanoTime();
    String[][] truth = ExactOracle.topK(kernel, corpus, queries, K);
    LOG.info(
        "Exact oracle for {} queries over {} vectors took {} s",
        queries.length,
        n,
        secs(System.nanoTime() - t0));
    for (Backend b : o.backends) {
      VectorStoreProvider provider;
      try {
        provider = VectorStores.provider(b.provider());
      } catch (RuntimeException e) {
        LOG.warn("Skipping backend {}: {}", b.label(), e.getMessage());
        points.add(
            new Point(
                dataset,
                n,
                fp.dimension(),
                b.label(),
                "",
                "",
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                -1,
                Double.NaN,
                queries.length,
                "skipped: " + e.getMessage()));
        continue;
      }
      points.addAll(
          measure(
              o,
              b,
              provider,
              fp,
              dataset,
              corpus,
              queries,
              truth,
              work.resolve(b.label() + "-" + n)));
      Report.write(
          o.out, env,
          points); // after every backend, so a long run that dies keeps what it measured
    }
  }

  private static List<Point> measure(
      HarnessOptions o,
      Backend b,
      VectorStoreProvider provider,
      ModelFingerprint fp,
      String dataset,
      float[][] corpus,
      float[][] queries,
      String[][] truth,
      Path dir)
      throws Exception {
    int n = corpus.length;
    List<String> efforts = b.effortValues();
    String effortKey = b.effortKey();
    if (effortKey == null || !provider.settingNames().contains(effortKey)) {
      if (effortKey != null) {
        LOG.warn(
            "Backend {}: provider {} has no setting '{}' (it has {}); measuring its defaults only.",
            b.label(),
            provider.name(),
            effortKey,
            provider.settingNames());
      }
      effortKey = "";
      efforts = List.of("default");
    }
    if (o.smoke) efforts = efforts.subList(0, 1);
    deleteTree(dir);
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    try (VectorStore store = provider.create(new StoreContext(dir, b.build(), false), fp);
        ProgressBar pb = progress(o, "build " + b.label() + " " + n, n)) {
      int batch =
          5_000; // upserts per call: large enough to amortize, small enough for a live progress bar
      for (int from = 0; from < n; from += batch) {
        int to = Math.min(n, from + batch);
        List<Item> items = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          items.add(Item.of(id(i), new Embedding(corpus[i], fp, ClipLikeVectors.modalityOf(i))));
        }
        store.upsert(items);
        if (pb != null) pb.stepBy(to - from);
      }
      store.commit();
    }
    double buildSeconds = secs(System.nanoTime() - t0);
    long disk = diskBytes(dir);
    LOG.info(
        "Built {} with {} vectors in {} s, {} bytes on disk", b.label(), n, buildSeconds, disk);
    List<Point> out = new ArrayList<>();
    double heapPerVector = Double.NaN;
    for (String effort : efforts) {
      Map<String, String> settings = new TreeMap<>(b.build());
      if (!effortKey.isEmpty()) settings.put(effortKey, effort);
      long heapBefore = usedHeapAfterGc();
      try (VectorStore store = provider.open(new StoreContext(dir, settings, true))) {
        if (Double.isNaN(heapPerVector)) {
          store.search(queries[0], K, Filter.ALL); // lazily loaded structures count too
          heapPerVector = (double) (usedHeapAfterGc() - heapBefore) / n;
        }
        // Warm-up: every query once, so the JIT and the page cache see the whole workload.
        runQueries(store, queries, 0, queries.length, null);
        long[] lat = new long[queries.length];
        List<Hit>[] results = runTimed(store, queries, lat);
        double wall1 = 0;
        for (long l : lat) wall1 += l;
        double qps1 = queries.length / (wall1 / 1e9);
        double qps2 = twoThreads(store, queries);
        double recall = ExactOracle.recall(results, truth);
        long[] sorted = lat.clone();
        Arrays.sort(sorted);
        Point p =
            new Point(
                dataset,
                n,
                corpus[0].length,
                b.label(),
                effortKey,
                effort,
                recall,
                qps1,
                qps2,
                percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6,
                buildSeconds,
                disk,
                heapPerVector,
                queries.length,
                "");
        LOG.info("{}", p);
        out.add(p);
      }
    }
    if (!o.keep) deleteTree(dir);
    return out;
  }

  private static ProgressBar progress(HarnessOptions o, String task, long max) {
    if (!o.progress) return null;
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(2000)
        .continuousUpdate()
        .build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array can only be made raw
  private static List<Hit>[] runTimed(VectorStore store, float[][] queries, long[] lat)
      throws IOException {
    List<Hit>[] results = new List[queries.length];
    for (int q = 0; q < queries.length; q++) {
      long t = System.nanoTime();
      results[q] = store.search(queries[q], K, Filter.ALL);
      lat[q] = System.nanoTime() - t;
    }
    return results;
  }

  private static void runQueries(
      VectorStore store, float[][] queries, int from, int to, long[] sink) throws IOException {
    for (int q = from; q < to; q++) {
      List<Hit> hits = store.search(queries[q], K, Filter.ALL);
      if (sink != null) sink[q] = hits.size();
    }
  }

  private static double twoThreads(VectorStore store, float[][] queries) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      int half = queries.length / 2;
      long[] sink = new long[queries.length];
      long t = System.nanoTime();
      Future<?> a =
          pool.submit(
              () -> {
                runQueries(store, queries, 0, half, sink);
                return null;
              });
      Future<?> b =
          pool.submit(
              () -> {
                runQueries(store, queries, half, queries.length, sink);
                return null;
              });
      a.get();
      b.get();
      return queries.length / secs(System.nanoTime() - t);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double percentile(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static String id(int i) {
    return String.format(Locale.ROOT, "v%07d", i);
  }

  private static long usedHeapAfterGc() {
    var mem = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) System.gc();
    return mem.getHeapMemoryUsage().getUsed();
  }

  private static long diskBytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  /** Deletes {@code dir} and everything under it, if it exists. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList())
        Files.deleteIfExists(p);
    }
  }

  private static double secs(long nanos) {
    return nanos / 1e9;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
