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
 * Measures every engine on every case of one data set: builds it once (timed), then per knob value
 * and case warms up on the first queries, runs all queries on one thread and scores recall@10
 * against the exact top 10 among the records the case accepts.
 */
final class ParityRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ParityRunner.class);
  static final int K = 10;
  private static final int WARMUP = 100;

  private final ParityData data;
  private final int[][][] truth;

  ParityRunner(ParityData data) {
    this.data = data;
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
      long t0 = System.nanoTime();
      engine.build(data, dir);
      double build = (System.nanoTime() - t0) / 1e9;
      LOG.info("Built {} over {} vectors in {} s", engine.label(), n, build);
      for (String effort : engine.efforts()) {
        engine.useEffort(effort);
        for (int c = 0; c < data.cases().size(); c++) {
          ParityCase pc = data.cases().get(c);
          if (engine.unfilteredOnly() && !pc.isAll()) continue;
          ParityPoint p = point(engine, pc, truth[c], effort, n, dim, build);
          LOG.info("{}", p);
          out.add(p);
          sink.accept(p);
        }
      }
    } catch (RuntimeException e) {
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
      Engine e, ParityCase c, int[][] want, String effort, int n, int dim, double build)
      throws Exception {
    float[][] q = data.queries();
    for (int i = 0; i < Math.min(WARMUP, q.length); i++) e.search(q[i], K, c);
    long[] lat = new long[q.length];
    int[][] got = new int[q.length][];
    for (int i = 0; i < q.length; i++) {
      long t = System.nanoTime();
      got[i] = e.search(q[i], K, c);
      lat[i] = System.nanoTime() - t;
    }
    double total = Arrays.stream(lat).sum() / 1e9;
    long[] sorted = lat.clone();
    Arrays.sort(sorted);
    return new ParityPoint(
        data.name(),
        n,
        dim,
        e.label(),
        c.name(),
        e.knob(),
        effort,
        recall(got, want),
        q.length / total,
        pct(sorted, 0.50) / 1e6,
        pct(sorted, 0.99) / 1e6,
        build,
        n / build,
        "");
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
