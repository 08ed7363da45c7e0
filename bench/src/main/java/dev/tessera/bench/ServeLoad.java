package dev.tessera.bench;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.spi.Encoders;
import dev.tessera.serve.SearchServer;
import dev.tessera.serve.ServeConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load check of {@code tessera serve}: N client threads (default 2) send text searches
 * ({@code GET /api/search?text=…&k=10}, both modalities) to a server on loopback for S seconds
 * (default 30) and it prints requests/s, p50, p99 and the error count. Usage: {@code java -cp
 * bench/target/benchmarks.jar dev.tessera.bench.ServeLoad COLLECTION MODEL_DIR [SECONDS]
 * [THREADS]}.
 */
public final class ServeLoad {
  private static final String[] COLOURS = {"red", "green", "blue", "yellow", "orange", "purple"};
  private static final String[] SHAPES = {"circle", "square", "triangle", "star", "cross", "ring"};

  private ServeLoad() {}

  /** Runs the check; exits 1 if any request failed. */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ServeLoad COLLECTION MODEL_DIR [SECONDS] [THREADS]");
      System.exit(2);
    }
    Path collection = Path.of(args[0]);
    Path model = Path.of(args[1]);
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    try (MultiModalEncoder enc = Encoders.open(model);
        SearchServer server =
            SearchServer.start(
                ServeConfig.of(collection).withAddress(ServeConfig.LOOPBACK, 0), enc)) {
      String base = "http://127.0.0.1:" + server.port() + "/api/search?k=10&text=";
      AtomicLong errors = new AtomicLong();
      List<long[]> perThread = new ArrayList<>();
      List<Thread> workers = new ArrayList<>();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      for (int t = 0; t < threads; t++) {
        long[][] slot = {new long[1 << 16]};
        int[] n = {0};
        int seed = t;
        Thread w =
            new Thread(
                () -> {
                  HttpClient http = HttpClient.newHttpClient();
                  int i = seed * 7;
                  while (System.nanoTime() < end) {
                    String q =
                        "a " + COLOURS[i % COLOURS.length] + " " + SHAPES[(i / 6) % SHAPES.length];
                    i++;
                    long t0 = System.nanoTime();
                    try {
                      HttpResponse<byte[]> r =
                          http.send(
                              HttpRequest.newBuilder(
                                      URI.create(
                                          base + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                                  .build(),
                              HttpResponse.BodyHandlers.ofByteArray());
                      if (r.statusCode() != 200) errors.incrementAndGet();
                    } catch (Exception e) {
                      errors.incrementAndGet();
                    }
                    if (n[0] == slot[0].length) slot[0] = Arrays.copyOf(slot[0], n[0] * 2);
                    slot[0][n[0]++] = System.nanoTime() - t0;
                  }
                  synchronized (perThread) {
                    perThread.add(Arrays.copyOf(slot[0], n[0]));
                  }
                },
                "load-" + t);
        workers.add(w);
      }
      long start = System.nanoTime();
      for (Thread w : workers) w.start();
      for (Thread w : workers) w.join();
      double elapsed = (System.nanoTime() - start) / 1e9;
      long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      System.out.printf(
          Locale.ROOT,
          "tessera serve load check: %d threads, %.1f s, %d requests, %.1f requests/s, p50 %.2f ms,"
              + " p99 %.2f ms, max %.2f ms, %d errors%n",
          threads,
          elapsed,
          all.length,
          all.length / elapsed,
          pct(all, 0.50),
          pct(all, 0.99),
          all.length == 0 ? 0 : all[all.length - 1] / 1e6,
          errors.get());
      if (errors.get() > 0) System.exit(1);
    }
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
