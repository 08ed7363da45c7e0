package dev.tessera.bench.mixed;

import dev.tessera.api.Hit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The harness's plot as a self-contained SVG: one panel per data set, size on the x axis, and per
 * ranking (raw dashed, calibrated solid) the own-pair and same-scene rates and the image same-class
 * rate. It plots the first ANN store of the run (lucene when present).
 */
final class QualityPlot {
  private static final int PANEL_W = 300;
  private static final int PANEL_H = 220;
  private static final int MARGIN = 50;

  private record Series(String label, String colour, ToDoubleFunction<MixedQuality.Row> value) {}

  private static final List<Series> SERIES =
      List.of(
          new Series("caption → own picture, top 5", "#1f77b4", MixedQuality.Row::textToImageTop5),
          new Series("picture → own caption, top 5", "#d62728", MixedQuality.Row::imageToTextTop5),
          new Series(
              "caption → own picture, top 1 (query record left out)",
              "#2ca02c",
              MixedQuality.Row::textToImageTop1SelfOut),
          new Series(
              "caption → a picture of its scene, top 1",
              "#9467bd",
              MixedQuality.Row::textToImageClassTop1),
          new Series(
              "image → same class @5 (filtered)", "#7f7f7f", MixedQuality.Row::imageSameClass5));

  private QualityPlot() {}

  static String svg(List<MixedQuality.Row> rows) {
    String store =
        rows.stream()
            .map(MixedQuality.Row::store)
            .filter(s -> s.equals("lucene"))
            .findFirst()
            .orElse(rows.isEmpty() ? "" : rows.get(0).store());
    List<String> sets = new ArrayList<>();
    for (MixedQuality.Row r : rows) if (!sets.contains(r.dataset())) sets.add(r.dataset());
    int w = sets.size() * (PANEL_W + MARGIN) + MARGIN;
    int h = PANEL_H + 2 * MARGIN + 20 * SERIES.size() + 30;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                + "<text x=\"%d\" y=\"18\" font-size=\"13\">Unfiltered queries in one mixed"
                + " collection (%s store): raw similarity (dashed) vs calibrated (solid)</text>%n",
            w,
            h,
            MARGIN,
            esc(store)));
    for (int p = 0; p < sets.size(); p++) {
      String set = sets.get(p);
      List<MixedQuality.Row> mine =
          rows.stream().filter(r -> r.dataset().equals(set) && r.store().equals(store)).toList();
      TreeSet<Integer> sizes = new TreeSet<>();
      for (MixedQuality.Row r : mine) sizes.add(r.size());
      List<Integer> xs = new ArrayList<>(sizes);
      int x0 = MARGIN + p * (PANEL_W + MARGIN);
      int y0 = MARGIN;
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n"
                  + "<text x=\"%d\" y=\"%d\">%s</text>%n",
              x0,
              y0,
              PANEL_W,
              PANEL_H,
              x0,
              y0 - 6,
              esc(set)));
      for (int t = 0; t <= 4; t++) {
        int y = y0 + PANEL_H - t * PANEL_H / 4;
        s.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d%%</text>%n",
                x0,
                y,
                x0 + PANEL_W,
                y,
                x0 - 4,
                y + 4,
                25 * t));
      }
      for (int i = 0; i < xs.size(); i++) {
        s.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                x(x0, i, xs.size()),
                y0 + PANEL_H + 14,
                xs.get(i)));
      }
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">pairs in the collection</text>%n",
              x0 + PANEL_W / 2,
              y0 + PANEL_H + 28));
      for (Series se : SERIES) {
        for (Hit.Ranking rk : Hit.Ranking.values()) {
          StringBuilder pts = new StringBuilder();
          for (int i = 0; i < xs.size(); i++) {
            int size = xs.get(i);
            for (MixedQuality.Row r : mine) {
              if (r.size() == size
                  && r.ranking() == rk
                  && !Double.isNaN(se.value().applyAsDouble(r))) {
                double v = se.value().applyAsDouble(r);
                pts.append(
                    String.format(
                        Locale.ROOT, "%.1f,%.1f ", x(x0, i, xs.size()), y0 + PANEL_H * (1 - v)));
              }
            }
          }
          s.append(
              String.format(
                  Locale.ROOT,
                  "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                  pts.toString().strip(),
                  se.colour(),
                  rk == Hit.Ranking.SIMILARITY ? " stroke-dasharray=\"5,4\"" : ""));
        }
      }
    }
    int ly = MARGIN + PANEL_H + 50;
    for (int i = 0; i < SERIES.size(); i++) {
      Series se = SERIES.get(i);
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>"
                  + "<text x=\"%d\" y=\"%d\">%s</text>%n",
              MARGIN,
              ly + 20 * i,
              MARGIN + 30,
              ly + 20 * i,
              se.colour(),
              MARGIN + 36,
              ly + 20 * i + 4,
              esc(se.label())));
    }
    return s.append("</svg>\n").toString();
  }

  private static double x(int x0, int i, int n) {
    return n == 1 ? x0 + PANEL_W / 2.0 : x0 + 20 + i * (PANEL_W - 40.0) / (n - 1);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
