package dev.tessera.index.lucene;

import dev.tessera.api.Condition;
import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.synthetic.ClipLikeVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Measures the lucene store's index shape and filter paths on the bench harness's CLIP-like data
 * (100k x 512 by default, half images, half texts): build time and segments after one bulk commit
 * or after 10 commits of a tenth each, then recall@10 and single-thread QPS for unfiltered, image
 * only and metadata-filtered queries (50%, 10%, 1%, 0.1% of the records) per over-query, and the
 * filtered walk against the exact scan of the matches (the {@code exact-below} threshold; the
 * metadata filters are {@code sel < t} on a long spread evenly over 0..999). Each case runs its
 * queries once untimed, then once timed. A store already in the work directory is measured again
 * without a rebuild. Not a test: timings are printed, never asserted.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … dev.tessera.index.lucene.ShapeHarness [n] [queries] [bulk|incremental] [workdir] [over-queries]
 * </pre>
 */
public final class ShapeHarness {
  private static final int K = 10;

  private ShapeHarness() {}

  /** Runs the measurements; arguments are optional, see the class comment. */
  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int nq = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    boolean incremental = args.length > 2 && args[2].equals("incremental");
    Path work = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("lucene-shape");
    String[] overQueries = (args.length > 4 ? args[4] : "40").split(",");
    ClipLikeVectors gen = new ClipLikeVectors(42, 512, Math.max(8, n / 1000), 1.0, 0.8);
    float[][] corpus = gen.vectors(n, 0);
    float[][] queries = gen.vectors(nq, 1);
    ModelFingerprint fp =
        ModelFingerprint.declared("shape-harness", 512, Similarity.COSINE, true, "shape harness");
    long[] sel = new long[n];
    for (int i = 0; i < n; i++) sel[i] = ((i * 2654435761L) >>> 8) % 1000;

    Path dir = work.resolve(incremental ? "incremental" : "bulk");
    Files.createDirectories(dir);
    LuceneStoreProvider provider = new LuceneStoreProvider();
    long t0 = System.nanoTime();
    boolean built;
    try (var files = Files.list(dir)) {
      built = files.findAny().isPresent(); // a store left by an earlier run is measured again
    }
    if (!built)
      try (VectorStore store = provider.create(new StoreContext(dir, Map.of(), false), fp)) {
        int commitEvery = incremental ? n / 10 : n;
        for (int from = 0; from < n; from += 5000) {
          List<Item> batch = new ArrayList<>();
          for (int i = from; i < Math.min(n, from + 5000); i++) {
            Embedding e = new Embedding(corpus[i], fp, ClipLikeVectors.modalityOf(i));
            batch.add(Item.of("r" + i, e).withMetadata(Metadata.of("sel", sel[i])));
          }
          store.upsert(batch);
          if ((from + 5000) % commitEvery == 0 || from + 5000 >= n) store.commit();
        }
        System.out.printf(
            "built %d (%s) in %.1f s, %d segments%n",
            n,
            incremental ? "10 commits" : "1 commit",
            (System.nanoTime() - t0) / 1e9,
            ((LuceneStore) store).segmentCount());
      }

    Map<String, Filter> cases = new LinkedHashMap<>();
    cases.put("all", Filter.ALL);
    cases.put("image", Filter.modality(Modality.IMAGE));
    for (int t : new int[] {500, 100, 70, 50, 30, 10, 1})
      cases.put(
          "sel " + t / 10.0 + "%",
          Filter.where(new Condition.Compare("sel", Condition.Op.LT, (long) t)));

    float[][] scores = new float[nq][];
    for (int q = 0; q < nq; q++) {
      QueryScorer s = QueryScorer.of(Similarity.COSINE, queries[q]);
      scores[q] = new float[n];
      for (int i = 0; i < n; i++) scores[q][i] = s.score(corpus[i]);
    }
    for (String oq : overQueries) {
      for (String exactBelow : new String[] {"0", "100000000"}) {
        Map<String, String> settings = Map.of("over-query", oq, "exact-below", exactBelow);
        try (VectorStore store = provider.open(new StoreContext(dir, settings, true))) {
          for (int w = 0; w < 5; w++) // JIT warm-up before the first case, so it is not penalized
          for (float[] q : queries) store.search(q, K, Filter.ALL);
          for (Map.Entry<String, Filter> c : cases.entrySet()) {
            boolean filtered = c.getValue().condition().isPresent();
            if (!filtered && !exactBelow.equals("0")) continue;
            if (filtered && c.getKey().equals("sel 50.0%") && !exactBelow.equals("0")) continue;
            measure(store, c.getKey(), c.getValue(), queries, scores, sel, oq, exactBelow);
          }
        }
      }
    }
  }

  private static void measure(
      VectorStore store,
      String name,
      Filter f,
      float[][] queries,
      float[][] scores,
      long[] sel,
      String oq,
      String exactBelow)
      throws IOException {
    int nq = queries.length;
    for (int q = 0; q < nq; q++) store.search(queries[q], K, f); // warm-up
    long t0 = System.nanoTime();
    List<List<Hit>> results = new ArrayList<>();
    for (int q = 0; q < nq; q++) results.add(store.search(queries[q], K, f));
    double seconds = (System.nanoTime() - t0) / 1e9;
    long limit =
        f.condition().isPresent() ? (Long) ((Condition.Compare) f.condition().get()).value() : 1000;
    double recall = 0;
    for (int q = 0; q < nq; q++) {
      Set<String> truth = truth(scores[q], sel, limit, f);
      int found = 0;
      for (Hit h : results.get(q)) if (truth.contains(h.id())) found++;
      recall += found / (double) truth.size();
    }
    System.out.printf(
        "over-query %-3s exact-below %-9s %-10s recall@10 %.4f  QPS %.1f%n",
        oq, exactBelow, name, recall / nq, nq / seconds);
  }

  private static Set<String> truth(float[] scores, long[] sel, long limit, Filter f) {
    int[] best = new int[K];
    float[] bestScore = new float[K];
    java.util.Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < scores.length; i++) {
      if (sel[i] >= limit) continue;
      if (!f.modalities().contains(ClipLikeVectors.modalityOf(i))) continue;
      if (scores[i] <= bestScore[K - 1]) continue;
      int j = K - 1;
      while (j > 0 && bestScore[j - 1] < scores[i]) {
        bestScore[j] = bestScore[j - 1];
        best[j] = best[j - 1];
        j--;
      }
      bestScore[j] = scores[i];
      best[j] = i;
    }
    Set<String> ids = new HashSet<>();
    for (int b : best) ids.add("r" + b);
    return ids;
  }
}
