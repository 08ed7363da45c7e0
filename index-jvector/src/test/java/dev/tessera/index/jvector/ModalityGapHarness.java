package dev.tessera.index.jvector;

import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.store.memory.MemoryStoreProvider;
import dev.tessera.synthetic.ClipLikeVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Measures the jvector store next to the exact memory store on seeded CLIP-like data: build rate,
 * recall@10 per query modality, single-thread QPS, and the graph reachability diagnostics that
 * explain the modality gap. Not a test: run it by hand, e.g. {@code java --add-modules
 * jdk.incubator.vector -cp ... dev.tessera.index.jvector.ModalityGapHarness 100000 400 42}.
 * Configurations are chosen with the fourth argument: a comma list of raw, single-landmark,
 * descent, default, pq, nogap.
 */
public final class ModalityGapHarness {
  private ModalityGapHarness() {}

  /** Arguments: vectors, queries, seed, configurations. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
    Set<String> configs = Set.of((args.length > 3 ? args[3] : "raw,default").split(","));
    int k = 10;
    ModelFingerprint fp = ClipLikeVectors.defaults(seed).fingerprint();
    System.out.printf(
        Locale.ROOT,
        "seed=%d n=%d queries=%d k=%d cores=%d%n",
        seed,
        n,
        queries,
        k,
        Runtime.getRuntime().availableProcessors());
    for (boolean gap : new boolean[] {true, false}) {
      if (!gap && !configs.contains("nogap")) continue;
      ClipLikeVectors d = ClipLikeVectors.defaults(seed);
      ClipLikeVectors base =
          new ClipLikeVectors(
              seed,
              d.dimension(),
              Integer.getInteger("clusters", d.clusters()),
              Double.parseDouble(System.getProperty("gap", Double.toString(d.gap()))),
              Double.parseDouble(System.getProperty("spread", Double.toString(d.spread()))));
      ClipLikeVectors data = gap ? base : base.withoutGap();
      List<Item> items = data.items("r", n, 0);
      if (Boolean.getBoolean("blocks")) {
        // Insert all images first, then all texts, as a collection filled modality by modality is.
        items = new ArrayList<>(items);
        items.sort(java.util.Comparator.comparing(Item::modality));
        System.out.println(
            "insertion order: all "
                + items.get(0).modality()
                + " records first, then the other modality");
      }
      float[][] qs = data.vectors(queries, 1);
      System.out.println("== data " + data);
      Run exact = run("memory (exact)", new MemoryStoreProvider(), Map.of(), items, qs, k, null);
      if (configs.contains("raw")) {
        run(
            "raw: single graph, JVector defaults, hierarchy descent",
            new JVectorStoreProvider(),
            Map.of(
                JVectorSettings.GRAPH_PER_MODALITY,
                "false",
                JVectorSettings.LANDMARK_ENTRY,
                "false",
                JVectorSettings.EXACT_SEARCH_BELOW,
                "0"),
            items,
            qs,
            k,
            exact);
      }
      if (configs.contains("single-landmark")) {
        run(
            "single graph + landmark entry",
            new JVectorStoreProvider(),
            Map.of(
                JVectorSettings.GRAPH_PER_MODALITY,
                "false",
                JVectorSettings.EXACT_SEARCH_BELOW,
                "0"),
            items,
            qs,
            k,
            exact);
      }
      if (configs.contains("descent")) {
        run(
            "graph per modality, hierarchy descent (landmark-entry=false)",
            new JVectorStoreProvider(),
            Map.of(JVectorSettings.LANDMARK_ENTRY, "false"),
            items,
            qs,
            k,
            exact);
      }
      if (configs.contains("default")) {
        run(
            "jvector store defaults (graph per modality + landmark entry)",
            new JVectorStoreProvider(),
            Map.of(),
            items,
            qs,
            k,
            exact);
      }
      if (configs.contains("pq")) {
        run(
            "jvector store defaults + pq-subspaces=64",
            new JVectorStoreProvider(),
            Map.of(JVectorSettings.PQ_SUBSPACES, "64"),
            items,
            qs,
            k,
            exact);
      }
    }
  }

  private record Run(List<List<String>> results) {}

  private static Run run(
      String name,
      VectorStoreProvider provider,
      Map<String, String> settings,
      List<Item> items,
      float[][] qs,
      int k,
      Run exact)
      throws Exception {
    Path dir = Files.createTempDirectory("tessera-harness-");
    try (VectorStore store =
        provider.create(
            new StoreContext(dir, settings, false), items.get(0).embedding().fingerprint())) {
      long t0 = System.nanoTime();
      int batch = 10_000;
      for (int i = 0; i < items.size(); i += batch)
        store.upsert(items.subList(i, Math.min(items.size(), i + batch)));
      long t1 = System.nanoTime();
      store.commit();
      long t2 = System.nanoTime();
      // Warm up, then time one search thread.
      for (int i = 0; i < Math.min(50, qs.length); i++) store.search(qs[i], k, Filter.ALL);
      List<List<String>> results = new ArrayList<>();
      long t3 = System.nanoTime();
      for (float[] q : qs) {
        List<String> ids = new ArrayList<>();
        for (Hit h : store.search(q, k, Filter.ALL)) ids.add(h.id());
        results.add(ids);
      }
      long t4 = System.nanoTime();
      double buildS = (t1 - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%-70s build %.1f s (%.0f vectors/s), commit %.1f s, QPS %.0f (1 thread)%n",
          name,
          buildS,
          items.size() / buildS,
          (t2 - t1) / 1e9,
          qs.length / ((t4 - t3) / 1e9));
      if (exact != null) {
        double[] hit = new double[2];
        double[] total = new double[2];
        double sameMiss = 0, crossMiss = 0;
        int lost = 0, partial = 0;
        for (int q = 0; q < qs.length; q++) {
          Modality qm = ClipLikeVectors.modalityOf(q);
          Set<String> got = new HashSet<>(results.get(q));
          long found = exact.results().get(q).stream().filter(got::contains).count();
          if (found == 0) lost++;
          else if (found < k) partial++;
          for (String id : exact.results().get(q)) {
            total[qm.ordinal()]++;
            if (got.contains(id)) hit[qm.ordinal()]++;
            else if (ClipLikeVectors.modalityOf(Integer.parseInt(id.substring(1))) == qm)
              sameMiss++;
            else crossMiss++;
          }
        }
        System.out.printf(
            Locale.ROOT,
            "    recall@%d all %.4f | image queries %.4f | text queries %.4f | misses: %.0f"
                + " same-modality, %.0f cross-modality%n",
            k,
            (hit[0] + hit[1]) / (total[0] + total[1]),
            hit[0] / total[0],
            hit[1] / total[1],
            sameMiss,
            crossMiss);
        long crossInTruth = 0;
        for (int q = 0; q < qs.length; q++) {
          for (String id : exact.results().get(q)) {
            if (ClipLikeVectors.modalityOf(Integer.parseInt(id.substring(1)))
                != ClipLikeVectors.modalityOf(q)) crossInTruth++;
          }
        }
        System.out.printf(
            Locale.ROOT,
            "    queries that found none of their true top-%d: %d of %d; found some but not all:"
                + " %d%n",
            k,
            lost,
            qs.length,
            partial);
        System.out.printf(
            Locale.ROOT,
            "    true top-%d neighbours of the other modality: %.1f%%%n",
            k,
            100.0 * crossInTruth / (qs.length * (double) k));
      }
      if (store instanceof JVectorStore js) {
        System.out.println("    graphs: " + js.diagnostics());
        if (js.pqBytesPerVector() > 0) {
          System.out.printf(
              Locale.ROOT,
              "    PQ codes: %d bytes/vector in memory (raw vectors %d bytes)%n",
              js.pqBytesPerVector(),
              512 * 4);
        }
      }
      return new Run(results);
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
