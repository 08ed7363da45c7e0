package dev.tessera.bench.parity;

import dev.tessera.bench.Harness;
import dev.tessera.bench.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a parity run as {@code results.json}, {@code results.md} (the ratio table first, then
 * every point) and one recall-vs-QPS PNG per case, plotted by the bench's {@link Report#plot}.
 */
final class ParityReport {
  /** Recall floors of the ratio table. */
  static final double[] FLOORS = {0.95, 0.99, 0.999};

  /** Which raw library each store row is compared with. */
  static final Map<String, String> PAIRS =
      Map.of(
          "lucene", "raw-lucene",
          "lucene-incremental", "raw-lucene",
          "jvector", "raw-jvector",
          "jvector-incremental", "raw-jvector");

  private ParityReport() {}

  /** Writes every output into {@code out}. */
  static void write(Path out, Map<String, String> env, List<ParityPoint> points)
      throws IOException {
    Files.createDirectories(out);
    Files.writeString(out.resolve("results.json"), json(env, points));
    Files.writeString(out.resolve("results.md"), markdown(env, points));
    Map<String, List<Harness.Point>> byCase = new LinkedHashMap<>();
    for (ParityPoint p : points) {
      if (!p.note().isEmpty()) continue;
      byCase
          .computeIfAbsent(p.caseName(), k -> new ArrayList<>())
          .add(
              new Harness.Point(
                  p.data() + " " + p.caseName(),
                  p.n(),
                  p.dim(),
                  p.threads() > 1 ? p.engine() + " ×" + p.threads() : p.engine(),
                  p.knob(),
                  p.effort(),
                  p.recall(),
                  p.qps(),
                  Double.NaN,
                  p.p50Ms(),
                  p.p99Ms(),
                  p.buildSeconds(),
                  -1,
                  Double.NaN,
                  0,
                  ""));
    }
    for (var e : byCase.entrySet()) {
      String file = "recall-qps-" + e.getKey().replaceAll("[^A-Za-z0-9.]+", "-");
      Report.plot(out.resolve(file), points.get(0).data() + ", " + e.getKey(), e.getValue(), true);
    }
  }

  /**
   * Best 1-thread QPS among {@code engine}'s points on {@code caseName} with recall ≥ {@code
   * floor}.
   */
  static double bestQps(List<ParityPoint> points, String engine, String caseName, double floor) {
    double best = Double.NaN;
    for (ParityPoint p : points) {
      if (p.threads() == 1
          && p.engine().equals(engine)
          && p.caseName().equals(caseName)
          && p.recall() >= floor) {
        best = Double.isNaN(best) ? p.qps() : Math.max(best, p.qps());
      }
    }
    return best;
  }

  private static double buildRate(List<ParityPoint> points, String engine) {
    for (ParityPoint p : points) if (p.engine().equals(engine)) return p.buildRate();
    return Double.NaN;
  }

  /** The ratio table: per case and store, QPS at each recall floor and build rate over raw. */
  static String ratios(List<ParityPoint> points) {
    Set<String> cases = new LinkedHashSet<>();
    Set<String> engines = new LinkedHashSet<>();
    for (ParityPoint p : points) {
      if (!p.caseName().isEmpty()) cases.add(p.caseName());
      engines.add(p.engine());
    }
    StringBuilder b = new StringBuilder();
    b.append("| case | store vs raw | QPS ratio at recall ≥ 0.95 | ≥ 0.99 | ≥ 0.999 | build rate");
    b.append(" ratio |\n|---|---|---:|---:|---:|---:|\n");
    for (String c : cases) {
      for (String store : engines) {
        String raw = PAIRS.get(store);
        if (raw == null || !engines.contains(raw)) continue;
        if (Double.isNaN(bestQps(points, store, c, 0)) && Double.isNaN(bestQps(points, raw, c, 0)))
          continue;
        b.append("| ").append(c).append(" | ").append(store).append(" vs ").append(raw);
        for (double f : FLOORS)
          b.append(" | ").append(cell(bestQps(points, store, c, f), bestQps(points, raw, c, f)));
        b.append(" | ")
            .append(ratio(buildRate(points, store), buildRate(points, raw)))
            .append(" |\n");
      }
    }
    return b.toString();
  }

  private static String cell(double store, double raw) {
    if (Double.isNaN(raw) && Double.isNaN(store)) return "neither reaches";
    if (Double.isNaN(raw)) return String.format(Locale.ROOT, "raw never (store %,.0f)", store);
    if (Double.isNaN(store)) return String.format(Locale.ROOT, "store never (raw %,.0f)", raw);
    return String.format(Locale.ROOT, "%.2f× (%,.0f / %,.0f)", store / raw, store, raw);
  }

  private static String ratio(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) return "–";
    return String.format(Locale.ROOT, "%.2f× (%,.0f / %,.0f vec/s)", a / b, a, b);
  }

  static String markdown(Map<String, String> env, List<ParityPoint> points) {
    StringBuilder b = new StringBuilder("## Ratios (store QPS / raw library QPS, 1 thread)\n\n");
    b.append(ratios(points)).append("\n## Points\n\n");
    b.append("| data | n | engine | case | knob | threads | recall@10 | QPS | p50 ms | p99 ms |");
    b.append(
        " build s | build vec/s |\n|---|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ParityPoint p : points) {
      if (!p.note().isEmpty()) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %s | | | | %s | | | | | |%n",
                p.data(),
                p.n(),
                p.engine(),
                p.note().replace('|', '/')));
        continue;
      }
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %s | %s | %s | %d | %.4f | %,.0f | %.3f | %.3f | %.1f | %,.0f |%n",
              p.data(),
              p.n(),
              p.engine(),
              p.caseName(),
              p.knob().isEmpty() ? p.effort() : p.knob() + "=" + p.effort(),
              p.threads(),
              p.recall(),
              p.qps(),
              p.p50Ms(),
              p.p99Ms(),
              p.buildSeconds(),
              p.buildRate()));
    }
    b.append("\n");
    env.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
    return b.toString();
  }

  static String json(Map<String, String> env, List<ParityPoint> points) {
    StringBuilder b = new StringBuilder("{\n  \"environment\": {");
    int i = 0;
    for (var e : env.entrySet())
      b.append(i++ == 0 ? "\n    " : ",\n    ")
          .append(str(e.getKey()))
          .append(": ")
          .append(str(e.getValue()));
    b.append("\n  },\n  \"results\": [");
    for (int j = 0; j < points.size(); j++) {
      ParityPoint p = points.get(j);
      b.append(j == 0 ? "\n    {" : ",\n    {")
          .append("\"data\": ")
          .append(str(p.data()))
          .append(", \"n\": ")
          .append(p.n())
          .append(", \"dim\": ")
          .append(p.dim())
          .append(", \"engine\": ")
          .append(str(p.engine()))
          .append(", \"case\": ")
          .append(str(p.caseName()))
          .append(", \"knob\": ")
          .append(str(p.knob()))
          .append(", \"effort\": ")
          .append(str(p.effort()))
          .append(", \"threads\": ")
          .append(p.threads())
          .append(", \"recallAt10\": ")
          .append(num(p.recall()))
          // qps1 as before for 1 thread (earlier runs' readers), qps for any count
          .append(p.threads() == 1 ? ", \"qps1\": " + num(p.qps()) : "")
          .append(", \"qps\": ")
          .append(num(p.qps()))
          .append(", \"p50Ms\": ")
          .append(num(p.p50Ms()))
          .append(", \"p99Ms\": ")
          .append(num(p.p99Ms()))
          .append(", \"buildSeconds\": ")
          .append(num(p.buildSeconds()))
          .append(", \"buildVectorsPerSecond\": ")
          .append(num(p.buildRate()))
          .append(", \"note\": ")
          .append(str(p.note()))
          .append('}');
    }
    return b.append("\n  ]\n}\n").toString();
  }

  private static String num(double d) {
    return Report.jsonNumber(d);
  }

  private static String str(String s) {
    return Report.jsonString(s);
  }
}
