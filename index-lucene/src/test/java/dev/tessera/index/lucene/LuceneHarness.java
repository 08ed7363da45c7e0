package dev.tessera.index.lucene;

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
import dev.tessera.synthetic.ClusteredVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.codecs.CompoundDirectory;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;

/**
 * Measures the lucene store next to the exact memory store: build rate, recall@10 and single-thread
 * QPS on seeded clustered normalized vectors, and bytes per vector on disk, for each quantization.
 * Not a test: timings are printed, never asserted.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … dev.tessera.index.lucene.LuceneHarness [n] [queries] [dim] [seed] [workdir] [quantizations] [over-queries]
 * </pre>
 *
 * <p>Each quantization builds one store at default settings; its searches are then measured once
 * per over-query value (a search setting) by reopening the store read-only with it.
 */
public final class LuceneHarness {
  private LuceneHarness() {}

  /** Runs the measurements; arguments are optional, see the class comment. */
  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int dim = args.length > 2 ? Integer.parseInt(args[2]) : 512;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 42L;
    Path work = args.length > 4 ? Path.of(args[4]) : Files.createTempDirectory("lucene-harness");
    String[] quantizations = (args.length > 5 ? args[5] : "none,int8,int4").split(",");
    String[] overQueries =
        (args.length > 6 ? args[6] : Integer.toString(LuceneSettings.DEFAULTS.overQuery()))
            .split(",");
    int k = 10;
    int warmup =
        500; // queries run before timing, so the JIT has compiled the search paths of both stores

    // The conformance kit's recipe for clustered data: sqrt(n)/2 centres, spread 0.6, normalized.
    int clusters = Math.max(4, (int) Math.sqrt(n) / 2);
    ClusteredVectors gen = new ClusteredVectors(seed, dim, clusters, 0.6f);
    ModelFingerprint fp =
        ModelFingerprint.declared(
            "harness/clustered-" + dim, dim, Similarity.COSINE, true, "LuceneHarness");
    System.out.printf(
        Locale.ROOT,
        "seed=%d n=%d dim=%d clusters=%d spread=0.6 queries=%d (+%d warm-up) k=%d, one search"
            + " thread, %s, %d cores%n",
        seed,
        n,
        dim,
        clusters,
        queries,
        warmup,
        k,
        Runtime.version(),
        Runtime.getRuntime().availableProcessors());
    float[][] data = gen.sample(seed + 1, n, true);
    float[][] qs = gen.sample(seed + 2, queries + warmup, true);
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++)
      items.add(Item.of("v" + i, new Embedding(data[i], fp, Modality.IMAGE)));
    data = null;

    // Exact oracle: ground truth and its QPS.
    List<Set<String>> truth = new ArrayList<>();
    Path memDir = Files.createTempDirectory(Files.createDirectories(work), "memory");
    try (VectorStore memory = new MemoryStoreProvider().create(StoreContext.of(memDir), fp)) {
      long t0 = System.nanoTime();
      for (int from = 0; from < n; from += 1000)
        memory.upsert(items.subList(from, Math.min(n, from + 1000)));
      long t1 = System.nanoTime();
      for (int q = 0; q < warmup; q++) memory.search(qs[q], k, Filter.ALL);
      long t2 = System.nanoTime();
      for (int q = warmup; q < warmup + queries; q++) {
        Set<String> ids = new HashSet<>();
        for (Hit h : memory.search(qs[q], k, Filter.ALL)) ids.add(h.id());
        truth.add(ids);
      }
      long t3 = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "memory (exact): insert %.1f s, QPS %.1f%n",
          sec(t1 - t0),
          queries / sec(t3 - t2));
    }

    for (String quantization : quantizations) {
      Path dir = work.resolve("lucene-" + quantization);
      Map<String, String> settings = Map.of(LuceneSettings.QUANTIZATION, quantization);
      if (Files.isDirectory(dir)) {
        // A store left by an earlier run with the same arguments: measure its searches again.
        System.out.printf(
            Locale.ROOT, "lucene quantization=%s: reusing the store in %s%n", quantization, dir);
        measureSearches(dir, quantization, overQueries, qs, warmup, queries, k, truth);
        continue;
      }
      Files.createDirectories(dir);
      long t0 = System.nanoTime();
      long t1;
      long t2;
      int segments;
      try (VectorStore store =
          new LuceneStoreProvider().create(new StoreContext(dir, settings, false), fp)) {
        for (int from = 0; from < n; from += 1000)
          store.upsert(items.subList(from, Math.min(n, from + 1000)));
        store.commit();
        t1 = System.nanoTime();
        ((LuceneStore) store).waitForMerges();
        store.commit();
        t2 = System.nanoTime();
        segments = ((LuceneStore) store).segmentCount();
      }
      Map<String, Long> bytes = bytesByExtension(dir);
      long total = bytes.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf(
          Locale.ROOT,
          "lucene quantization=%s: build %.1f s = %.0f vectors/s (upserts + commit; background"
              + " merges after it: %.1f s more), %d segment(s), %.0f bytes/vector on disk %s%n",
          quantization,
          sec(t1 - t0),
          n / sec(t1 - t0),
          sec(t2 - t1),
          segments,
          total / (double) n,
          perVector(bytes, n));
      measureSearches(dir, quantization, overQueries, qs, warmup, queries, k, truth);
    }
  }

  private static void measureSearches(
      Path dir,
      String quantization,
      String[] overQueries,
      float[][] qs,
      int warmup,
      int queries,
      int k,
      List<Set<String>> truth)
      throws IOException {
    for (String overQuery : overQueries) {
      Map<String, String> search =
          Map.of(
              LuceneSettings.QUANTIZATION,
              quantization,
              LuceneSettings.OVER_QUERY,
              overQuery.trim());
      try (VectorStore store =
          new LuceneStoreProvider().open(new StoreContext(dir, search, true))) {
        for (int q = 0; q < warmup; q++) store.search(qs[q], k, Filter.ALL);
        int found = 0;
        long t3 = System.nanoTime();
        for (int q = warmup; q < warmup + queries; q++) {
          for (Hit h : store.search(qs[q], k, Filter.ALL))
            if (truth.get(q - warmup).contains(h.id())) found++;
        }
        long t4 = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "  over-query=%s: recall@10 %.4f, QPS %.1f%n",
            overQuery.trim(),
            found / (double) (queries * k),
            queries / sec(t4 - t3));
      }
    }
  }

  private static double sec(long nanos) {
    return nanos / 1e9;
  }

  /**
   * Bytes on disk by file extension, looking inside compound files (flushed segments are compound).
   */
  private static Map<String, Long> bytesByExtension(Path dir) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (FSDirectory d = FSDirectory.open(dir)) {
      Set<String> inCompound = new HashSet<>();
      for (SegmentCommitInfo sci : SegmentInfos.readLatestCommit(d)) {
        if (!sci.info.getUseCompoundFile()) continue;
        try (CompoundDirectory cd =
            sci.info.getCodec().compoundFormat().getCompoundReader(d, sci.info)) {
          for (String f : cd.listAll()) out.merge(extension(f), cd.fileLength(f), Long::sum);
        }
        for (String f : sci.files())
          if (f.endsWith(".cfs") || f.endsWith(".cfe")) inCompound.add(f);
      }
      for (String f : d.listAll()) {
        if (!inCompound.contains(f) && !f.equals("write.lock"))
          out.merge(extension(f), d.fileLength(f), Long::sum);
      }
    }
    return out;
  }

  private static String extension(String file) {
    int dot = file.lastIndexOf('.');
    return dot < 0 ? file.replaceAll("_\\d+$", "") : file.substring(dot + 1);
  }

  private static String perVector(Map<String, Long> bytes, int n) {
    StringBuilder sb = new StringBuilder("(");
    for (Map.Entry<String, Long> e : bytes.entrySet()) {
      double b = e.getValue() / (double) n;
      if (b >= 1)
        sb.append(sb.length() > 1 ? ", " : "")
            .append(e.getKey())
            .append(' ')
            .append(String.format(Locale.ROOT, "%.0f", b));
    }
    return sb.append(')').toString();
  }
}
