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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
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

  /** Entry point; see {@link #usage()}. */
  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    if (o == null) {
      System.out.println(usage());
      return;
    }
    run(o);
  }

  static String usage() {
    return String.join(
        "\n",
        "Usage: Harness [--smoke] [--sizes 10000,100000] [--dim 512] [--queries 500] [--seed 42]",
        "               [--backends memory,jvector,jvector-pq,lucene] [--out bench-results] [--work"
            + " DIR]",
        "               [--effort LABEL=KEY:v1,v2,...] [--model CLIP_DIR [--pictures 5000]]"
            + " [--no-progress]",
        "  --model      also embed generated pictures and their captions with this CLIP model"
            + " (sizes still run; --sizes '' for none)",
        "  --smoke      2,000 vectors, 50 queries, one effort value per backend (CI: checks the"
            + " outputs, not speed)",
        "  --effort     overrides the swept search setting of a backend, e.g. --effort"
            + " lucene=over-query:1,2,4");
  }

  /** Runs the harness with parsed options and returns the points it wrote. */
  static List<Point> run(Options o) throws Exception {
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
      Options o,
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
    String[][] truth = exactTopK(kernel, corpus, queries);
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
      Options o,
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
        double recall = recall(results, truth);
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

  private static ProgressBar progress(Options o, String task, long max) {
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

  /**
   * Exact top-10 ids by dot product (the vectors are unit length, so this is cosine order), ties by
   * id.
   */
  static String[][] exactTopK(VectorKernel kernel, float[][] corpus, float[][] queries) {
    int n = corpus.length;
    int dim = corpus[0].length;
    int block = 1024; // rows per bulk-kernel call: 2 MiB of 512-d rows, L2-sized
    String[][] truth = new String[queries.length][];
    IntStream.range(0, queries.length)
        .parallel()
        .forEach(
            q -> {
              float[] bestS = new float[K];
              int[] bestI = new int[K];
              Arrays.fill(bestS, Float.NEGATIVE_INFINITY);
              Arrays.fill(bestI, -1);
              float[] rows = new float[block * dim];
              float[] scores = new float[block];
              for (int from = 0; from < n; from += block) {
                int count = Math.min(block, n - from);
                for (int r = 0; r < count; r++)
                  System.arraycopy(corpus[from + r], 0, rows, r * dim, dim);
                kernel.dotBulk(queries[q], rows, count, scores);
                for (int r = 0; r < count; r++) {
                  float s = scores[r];
                  if (s > bestS[K - 1]) {
                    int j = K - 1;
                    while (j > 0 && bestS[j - 1] < s) {
                      bestS[j] = bestS[j - 1];
                      bestI[j] = bestI[j - 1];
                      j--;
                    }
                    bestS[j] = s;
                    bestI[j] = from + r;
                  }
                }
              }
              String[] ids = new String[K];
              for (int j = 0; j < K; j++) ids[j] = bestI[j] < 0 ? null : id(bestI[j]);
              truth[q] = ids;
            });
    return truth;
  }

  static double recall(List<Hit>[] results, String[][] truth) {
    long found = 0;
    long total = 0;
    for (int q = 0; q < truth.length; q++) {
      List<String> want = Arrays.asList(truth[q]);
      for (Hit h : results[q]) if (want.contains(h.id())) found++;
      total += want.size();
    }
    return (double) found / total;
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

  static void deleteTree(Path dir) throws IOException {
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

  /** Parsed command line. */
  static final class Options {
    boolean smoke;
    boolean progress = true;
    boolean keep;
    int[] sizes = {10_000, 100_000};
    int dim = 512;
    int queries = 500;
    long seed = 42;
    Path out = Path.of("bench-results");
    Path work;
    Path model;
    int pictures = 5_000;
    List<Backend> backends;

    static final Map<String, Backend> KNOWN = new LinkedHashMap<>();

    static {
      List<String> beams = List.of("10", "20", "40", "100", "200");
      KNOWN.put("memory", new Backend("memory", "memory", Map.of(), null, List.of()));
      // over-query is the number of extra candidates beyond k, so k=10 walks 11, 20, 40, 100 and
      // 200: the jvector beams.
      List<String> overQuery = List.of("1", "10", "30", "90", "190");
      KNOWN.put("lucene", new Backend("lucene", "lucene", Map.of(), "over-query", overQuery));
      KNOWN.put(
          "lucene-int8",
          new Backend(
              "lucene-int8", "lucene", Map.of("quantization", "int8"), "over-query", overQuery));
      KNOWN.put("jvector", new Backend("jvector", "jvector", Map.of(), "search-beam", beams));
      KNOWN.put(
          "jvector-pq",
          new Backend(
              "jvector-pq",
              "jvector",
              Map.of("pq-subspaces", "64") /* 8 dims per subspace */,
              "search-beam",
              beams));
    }

    static Options parse(String[] args) {
      Options o = new Options();
      List<String> names = new ArrayList<>(List.of("memory", "lucene", "jvector", "jvector-pq"));
      Map<String, Backend> known = new LinkedHashMap<>(KNOWN);
      boolean sizesGiven = false;
      boolean queriesGiven = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--help", "-h" -> {
            return null;
          }
          case "--smoke" -> o.smoke = true;
          case "--no-progress" -> o.progress = false;
          case "--keep" -> o.keep = true;
          case "--sizes" -> {
            o.sizes =
                Arrays.stream(value(args, ++i, a).split(","))
                    .filter(x -> !x.isBlank())
                    .mapToInt(s -> Integer.parseInt(s.trim().replace("_", "")))
                    .toArray();
            sizesGiven = true;
          }
          case "--dim" -> o.dim = Integer.parseInt(value(args, ++i, a));
          case "--queries" -> {
            o.queries = Integer.parseInt(value(args, ++i, a));
            queriesGiven = true;
          }
          case "--seed" -> o.seed = Long.parseLong(value(args, ++i, a));
          case "--out" -> o.out = Path.of(value(args, ++i, a));
          case "--work" -> o.work = Path.of(value(args, ++i, a));
          case "--model" ->
              o.model =
                  Path.of(value(args, ++i, a))
                      .toAbsolutePath()
                      .normalize(); // the encoder refuses paths with ".."
          case "--pictures" -> o.pictures = Integer.parseInt(value(args, ++i, a));
          case "--backends" ->
              names = Arrays.stream(value(args, ++i, a).split(",")).map(String::trim).toList();
          case "--effort" -> {
            String spec = value(args, ++i, a);
            int eq = spec.indexOf('=');
            int colon = spec.indexOf(':');
            if (eq < 1 || colon < eq + 2) {
              throw new IllegalArgumentException(
                  "--effort " + spec + " is not LABEL=KEY:v1,v2 (e.g. lucene=over-query:1,2,4).");
            }
            String label = spec.substring(0, eq);
            Backend old = known.get(label);
            if (old == null)
              throw new IllegalArgumentException(
                  "--effort names unknown backend '" + label + "'; known: " + known.keySet());
            known.put(
                label,
                new Backend(
                    label,
                    old.provider(),
                    old.build(),
                    spec.substring(eq + 1, colon),
                    List.of(spec.substring(colon + 1).split(","))));
          }
          default -> throw new IllegalArgumentException("Unknown option '" + a + "'.\n" + usage());
        }
      }
      if (o.smoke) {
        if (!sizesGiven) o.sizes = new int[] {2_000};
        if (!queriesGiven) o.queries = 50;
        o.pictures = Math.min(o.pictures, 100);
      }
      o.backends = new ArrayList<>();
      for (String name : names) {
        Backend b = known.get(name);
        if (b == null)
          throw new IllegalArgumentException(
              "Unknown backend '" + name + "'; known: " + known.keySet());
        o.backends.add(b);
      }
      return o;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length)
        throw new IllegalArgumentException("Option " + option + " needs a value.\n" + usage());
      return args[i];
    }
  }
}
