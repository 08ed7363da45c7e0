package dev.tessera.index.lucene;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.synthetic.ClipLikeVectors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.store.FSDirectory;

/**
 * Measures what the checksum pass costs when a store opens: the median time of {@code opens}
 * read-only and writable opens (each followed by one search, then close) with and without {@link
 * Integrity#verify}, on a store of {@code n} CLIP-like vectors that is built once in {@code dir}
 * and reused by later runs. The store's files are read once before timing, so the page cache is
 * warm, or (argument {@code cold}) dropped from it before every open. Not a test: timings are
 * printed, never asserted.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … dev.tessera.index.lucene.OpenCostHarness [dir] [n] [opens] [warm|cold]
 * </pre>
 *
 * <p>{@code opens} 0 only builds the store, so the build can run outside the timed part.
 */
public final class OpenCostHarness {
  private OpenCostHarness() {}

  /** Builds the store if {@code dir} has none, then times the opens; see the class comment. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/lucene-open-cost");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int opens = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    boolean cold = args.length > 3 && args[3].equals("cold");
    ClipLikeVectors gen = ClipLikeVectors.defaults(42);
    ModelFingerprint fp = gen.fingerprint();
    if (!Files.isDirectory(dir)) build(dir, gen, fp, n);
    if (opens < 1) return; // build only
    long bytes = warm(dir);
    float[] query = gen.vectors(1, 99)[0];
    System.out.printf(
        Locale.ROOT,
        "store %s: %d files, %.1f MB, %s page cache, %s, %d cores%n",
        dir,
        fileCount(dir),
        bytes / 1e6,
        cold ? "cold" : "warm",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors());
    for (boolean readOnly : new boolean[] {true, false}) {
      for (boolean verify : new boolean[] {false, true, false, true}) {
        double[] ms = new double[opens];
        for (int i = 0; i < opens; i++) {
          if (cold) dropFromPageCache(dir);
          long t0 = System.nanoTime();
          try (VectorStore s =
              LuceneStore.open(
                  new StoreContext(dir, Map.of(), readOnly),
                  LuceneSettings.DEFAULTS,
                  verify,
                  FSDirectory::open)) {
            s.search(query, 10, Filter.ALL);
          }
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf(
            Locale.ROOT,
            "%-9s open + 1 search + close, checksums %-8s median %7.1f ms  (all: %s)%n",
            readOnly ? "read-only" : "writable",
            verify ? "verified" : "skipped",
            sorted[opens / 2],
            Arrays.toString(Arrays.stream(ms).map(x -> Math.round(x * 10) / 10.0).toArray()));
      }
    }
  }

  private static void build(Path dir, ClipLikeVectors gen, ModelFingerprint fp, int n)
      throws IOException {
    Files.createDirectories(dir);
    float[][] v = gen.vectors(n, 1);
    long t0 = System.nanoTime();
    try (VectorStore s = new LuceneStoreProvider().create(StoreContext.of(dir), fp)) {
      for (int from = 0; from < n; from += 1000) {
        List<Item> batch = new ArrayList<>(1000);
        for (int i = from; i < Math.min(n, from + 1000); i++)
          batch.add(Item.of("v" + i, new Embedding(v[i], fp, ClipLikeVectors.modalityOf(i))));
        s.upsert(batch);
      }
      s.commit();
      ((LuceneStore) s).waitForMerges();
      s.commit();
    }
    System.out.printf(
        Locale.ROOT, "built %d vectors in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
  }

  private static long warm(Path dir) throws IOException {
    long total = 0;
    byte[] buf = new byte[1 << 20];
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          for (int r; (r = in.read(buf)) > 0; ) total += r;
        }
      }
    }
    return total;
  }

  /** Asks the kernel to drop the store's files from the page cache (GNU dd, fadvise DONTNEED). */
  private static void dropFromPageCache(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Process p =
            new ProcessBuilder("dd", "if=" + f, "iflag=nocache", "count=0", "status=none")
                .inheritIO()
                .start();
        try {
          if (p.waitFor() != 0) throw new IOException("dd failed on " + f);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }

  private static long fileCount(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }
}
