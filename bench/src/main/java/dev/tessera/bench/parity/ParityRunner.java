package dev.tessera.bench.parity;

import dev.tessera.api.math.Kernels;
import dev.tessera.bench.ExactOracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures every engine on every case of one data set: builds it once (timed), then per knob value,
 * case and client thread count warms up on the first queries, runs all queries on each of the
 * threads at once and scores recall@10 against the exact top 10 among the records the case accepts.
 */
final class ParityRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ParityRunner.class);
  static final int K = 10;
  private static final int WARMUP = 100;

  private final ParityData data;
  private final int[][][] truth;
  private final List<Integer> threads;

  ParityRunner(ParityData data) {
    this(data, List.of(1));
  }

  /** A runner that measures each point at every client thread count of {@code threads}. */
  ParityRunner(ParityData data, List<Integer> threads) {
    if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 1))
      throw new IllegalArgumentException("--threads needs counts of 1 or more, not " + threads);
    this.data = data;
    this.threads = List.copyOf(threads);
    long t = System.nanoTime();
    truth = new int[data.cases().size()][][];
    for (int c = 0; c < truth.length; c++) {
      int[] rows = data.rows(data.cases().get(c));
      truth[c] = ExactOracle.topRows(Kernels.get(), data.corpus(), rows, data.queries(), K);
    }
    LOG.info("Exact oracle for {} cases took {} s", truth.length, (System.nanoTime() - t) / 1e9);
  }

  /** Builds and measures {@code engine} in a fresh folder under {@code work}; closes it. */
  List<ParityPoint> measure(Engine engine, Path work) throws Exception {
    return measure(engine, work, p -> {});
  }

  /** As {@link #measure(Engine, Path)}, handing each point to {@code sink} as it is measured. */
  List<ParityPoint> measure(Engine engine, Path work, Consumer<ParityPoint> sink) throws Exception {
    int n = data.corpus().length;
    int dim = data.corpus()[0].length;
    List<ParityPoint> out = new ArrayList<>();
    Path dir = work.resolve(engine.label());
    Files.createDirectories(dir);
    try (engine) {
      engine.start();
      long t0 = System.nanoTime();
      engine.build(data, dir);
      double build = (System.nanoTime() - t0) / 1e9;
      LOG.info("Built {} over {} vectors in {} s", engine.label(), n, build);
      for (String effort : engine.efforts()) {
        engine.useEffort(effort);
        for (int c = 0; c < data.cases().size(); c++) {
          ParityCase pc = data.cases().get(c);
          if (engine.unfilteredOnly() && !pc.isAll()) continue;
          for (int t : threads) {
            ParityPoint p = point(engine, pc, truth[c], effort, t, n, dim, build);
            LOG.info("{}", p);
            out.add(p);
            sink.accept(p);
          }
        }
      }
    } catch (RuntimeException | java.io.IOException e) {
      LOG.warn("Engine {} failed: {}", engine.label(), e.toString());
      out.add(
          new ParityPoint(
              data.name(),
              n,
              dim,
              engine.label(),
              "",
              engine.knob(),
              "",
              0,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              "failed: " + e));
    }
    return out;
  }

  private ParityPoint point(
      Engine e,
      ParityCase c,
      int[][] want,
      String effort,
      int threads,
      int n,
      int dim,
      double build)
      throws Exception {
    float[][] q = data.queries();
    for (int i = 0; i < Math.min(WARMUP, q.length); i++) e.search(q[i], K, c);
    long[][] lat = new long[threads][q.length];
    int[][][] got = new int[threads][q.length][];
    long wall;
    if (threads == 1) {
      wall = run(e, c, q, 0, lat[0], got[0]);
    } else {
      // each thread issues every query, starting at its own offset, all released at once
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(threads + 1);
        List<java.util.concurrent.Future<Long>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int th = t;
          done.add(
              pool.submit(
                  () -> {
                    go.await();
                    return run(e, c, q, th * q.length / threads, lat[th], got[th]);
                  }));
        }
        go.await();
        long t0 = System.nanoTime();
        for (var f : done) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException x) {
            if (x.getCause() instanceof Exception cause) throw cause;
            throw x;
          }
        }
        wall = System.nanoTime() - t0;
      } finally {
        pool.shutdownNow();
      }
    }
    long[] sorted = Arrays.stream(lat).flatMapToLong(Arrays::stream).toArray();
    Arrays.sort(sorted);
    int[][] allGot = new int[threads * q.length][];
    int[][] allWant = new int[threads * q.length][];
    for (int t = 0; t < threads; t++) {
      System.arraycopy(got[t], 0, allGot, t * q.length, q.length);
      System.arraycopy(want, 0, allWant, t * q.length, q.length);
    }
    return new ParityPoint(
        data.name(),
        n,
        dim,
        e.label(),
        c.name(),
        e.knob(),
        effort,
        threads,
        recall(allGot, allWant),
        (double) threads * q.length / (wall / 1e9),
        pct(sorted, 0.50) / 1e6,
        pct(sorted, 0.99) / 1e6,
        build,
        n / build,
        "");
  }

  /**
   * Runs every query once from {@code from} on (wrapping), keeping each one's latency and hits by
   * query index; returns the wall time in nanoseconds.
   */
  private static long run(Engine e, ParityCase c, float[][] q, int from, long[] lat, int[][] got)
      throws java.io.IOException {
    long start = System.nanoTime();
    for (int j = 0; j < q.length; j++) {
      int i = (from + j) % q.length;
      long t = System.nanoTime();
      got[i] = e.search(q[i], K, c);
      lat[i] = System.nanoTime() - t;
    }
    return System.nanoTime() - start;
  }

  /** Share of the true top-k rows (padding -1 left out) found. */
  static double recall(int[][] got, int[][] want) {
    long found = 0;
    long total = 0;
    for (int q = 0; q < want.length; q++) {
      for (int w : want[q]) {
        if (w < 0) continue;
        total++;
        for (int g : got[q]) {
          if (g == w) {
            found++;
            break;
          }
        }
      }
    }
    return total == 0 ? 1.0 : (double) found / total;
  }

  private static double pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
