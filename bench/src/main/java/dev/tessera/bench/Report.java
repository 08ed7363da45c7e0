package dev.tessera.bench;

import dev.tessera.bench.Harness.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes the harness results as {@code results.json}, {@code results.md} and recall-vs-QPS PNGs.
 */
public final class Report {
  private Report() {}

  /** Writes every output file for {@code points} into {@code out}. */
  public static void write(Path out, Map<String, String> env, List<Point> points)
      throws IOException {
    Files.writeString(out.resolve("results.json"), json(env, points));
    Files.writeString(out.resolve("results.md"), markdown(env, points));
    Map<String, List<Point>> byBackend = new LinkedHashMap<>();
    for (Point p : points) {
      if (!Double.isNaN(p.recall()))
        byBackend.computeIfAbsent(p.backend(), k -> new ArrayList<>()).add(p);
    }
    for (var e : byBackend.entrySet())
      plot(out.resolve("recall-qps-" + e.getKey()), e.getKey(), e.getValue(), false);
    List<Point> all = new ArrayList<>();
    byBackend.values().forEach(all::addAll);
    if (!all.isEmpty()) plot(out.resolve("recall-qps-all"), "all backends", all, true);
  }

  /** Plots recall against 1-thread QPS of {@code points} into {@code file}.png. */
  public static void plot(Path file, String title, List<Point> points, boolean seriesPerBackend)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(520)
            .title("recall@10 vs QPS (1 thread): " + title)
            .xAxisTitle("recall@10")
            .yAxisTitle("queries per second")
            .build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
    chart.getStyler().setMarkerSize(7);
    Map<String, List<Point>> series = new LinkedHashMap<>();
    for (Point p : points) {
      String name =
          (seriesPerBackend ? p.backend() + " " : "")
              + String.format(Locale.ROOT, "%,d", p.n())
              + " x "
              + p.dim();
      series.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
    }
    for (var e : series.entrySet()) {
      double[] x = e.getValue().stream().mapToDouble(Point::recall).toArray();
      double[] y = e.getValue().stream().mapToDouble(p -> Math.max(p.qps1(), 1e-3)).toArray();
      XYSeries s = chart.addSeries(e.getKey(), x, y);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
  }

  static String markdown(Map<String, String> env, List<Point> points) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| data | n | backend | effort | recall@10 | QPS 1 thr | QPS 2 thr | p50 ms | p99 ms |"
            + " build s | disk MiB | heap B/vector |\n");
    b.append("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Point p : points) {
      if (!p.note().isEmpty()) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %s | | %s | | | | | | | |%n",
                p.dataset(),
                p.n(),
                p.backend(),
                p.note().replace('|', '/')));
        continue;
      }
      String effort = p.effortKey().isEmpty() ? p.effort() : p.effortKey() + "=" + p.effort();
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %s | %s | %.4f | %,.0f | %,.0f | %.3f | %.3f | %.1f | %.1f | %,.0f |%n",
              p.dataset(),
              p.n(),
              p.backend(),
              effort,
              p.recall(),
              p.qps1(),
              p.qps2(),
              p.p50Ms(),
              p.p99Ms(),
              p.buildSeconds(),
              p.diskBytes() / 1048576.0,
              p.heapBytesPerVector()));
    }
    b.append("\n");
    env.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
    return b.toString();
  }

  static String json(Map<String, String> env, List<Point> points) {
    StringBuilder b = new StringBuilder("{\n  \"environment\": {");
    int i = 0;
    for (var e : env.entrySet()) {
      b.append(i++ == 0 ? "\n" : ",\n")
          .append("    ")
          .append(jsonString(e.getKey()))
          .append(": ")
          .append(jsonString(e.getValue()));
    }
    b.append("\n  },\n  \"results\": [");
    for (int j = 0; j < points.size(); j++) {
      Point p = points.get(j);
      b.append(j == 0 ? "\n" : ",\n")
          .append("    {")
          .append("\"dataset\": ")
          .append(jsonString(p.dataset()))
          .append(", \"n\": ")
          .append(p.n())
          .append(", \"dim\": ")
          .append(p.dim())
          .append(", \"backend\": ")
          .append(jsonString(p.backend()))
          .append(", \"effortKey\": ")
          .append(jsonString(p.effortKey()))
          .append(", \"effort\": ")
          .append(jsonString(p.effort()))
          .append(", \"recallAt10\": ")
          .append(jsonNumber(p.recall()))
          .append(", \"qps1\": ")
          .append(jsonNumber(p.qps1()))
          .append(", \"qps2\": ")
          .append(jsonNumber(p.qps2()))
          .append(", \"p50Ms\": ")
          .append(jsonNumber(p.p50Ms()))
          .append(", \"p99Ms\": ")
          .append(jsonNumber(p.p99Ms()))
          .append(", \"buildSeconds\": ")
          .append(jsonNumber(p.buildSeconds()))
          .append(", \"diskBytes\": ")
          .append(p.diskBytes())
          .append(", \"heapBytesPerVector\": ")
          .append(jsonNumber(p.heapBytesPerVector()))
          .append(", \"queries\": ")
          .append(p.queries())
          .append(", \"note\": ")
          .append(jsonString(p.note()))
          .append('}');
    }
    return b.append("\n  ]\n}\n").toString();
  }

  /** {@code d} as a JSON number ({@code null} when not finite). */
  public static String jsonNumber(double d) {
    return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null";
  }

  /** {@code s} as a JSON string literal. */
  public static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
