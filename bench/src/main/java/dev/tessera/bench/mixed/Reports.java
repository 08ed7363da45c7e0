package dev.tessera.bench.mixed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes the harness's results as CSV, a Markdown table and the SVG plot. */
final class Reports {
  private Reports() {}

  static final String HEADER =
      "dataset,size,store,ranking,queries,text_to_image_top1,text_to_image_top5,"
          + "image_to_text_top1,image_to_text_top5,text_to_image_top1_self_out,"
          + "image_to_text_top1_self_out,text_to_image_top1_filtered,text_to_image_top5_filtered,"
          + "text_to_image_class_top1,text_to_image_class_top5,image_to_text_class_top1,"
          + "image_to_text_class_top5,"
          + "image_same_class_at5,text_same_class_at5,filtered_unchanged,mixed_top5,recall_at10";

  static void write(MixedQualityHarness.Result r, Path out) throws IOException {
    StringBuilder csv = new StringBuilder(HEADER).append('\n');
    for (MixedQuality.Row w : r.rows()) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%d,%s,%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f%n",
              w.dataset(),
              w.size(),
              w.store(),
              w.ranking(),
              w.queries(),
              w.textToImageTop1(),
              w.textToImageTop5(),
              w.imageToTextTop1(),
              w.imageToTextTop5(),
              w.textToImageTop1SelfOut(),
              w.imageToTextTop1SelfOut(),
              w.textToImageTop1Filtered(),
              w.textToImageTop5Filtered(),
              w.textToImageClassTop1(),
              w.textToImageClassTop5(),
              w.imageToTextClassTop1(),
              w.imageToTextClassTop5(),
              w.imageSameClass5(),
              w.textSameClass5(),
              w.filteredUnchanged(),
              w.mixedTop5(),
              w.recallAt10()));
    }
    Files.writeString(out.resolve("results.csv"), csv);
    StringBuilder g =
        new StringBuilder("dataset,size,pair_cos,same_modality_nn_cos,gap,centroid_distance\n");
    for (Map.Entry<String, GapStats> e : r.gaps().entrySet()) {
      String[] k = e.getKey().split("@");
      GapStats s = e.getValue();
      g.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%.4f,%.4f,%.4f,%.4f%n",
              k[0],
              k[1],
              s.pairCos(),
              s.sameModalityNnCos(),
              s.gap(),
              s.centroidDistance()));
    }
    Files.writeString(out.resolve("gaps.csv"), g);
    Files.writeString(out.resolve("results.md"), markdown(r));
    Files.writeString(out.resolve("quality.svg"), QualityPlot.svg(r.rows()));
  }

  static String markdown(MixedQualityHarness.Result r) {
    StringBuilder s = new StringBuilder();
    s.append("| data set | gap (NN − pair cos) | pair cos | same-modality NN cos |\n");
    s.append("|---|---|---|---|\n");
    for (Map.Entry<String, GapStats> e : r.gaps().entrySet()) {
      GapStats g = e.getValue();
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %.3f | %.3f | %.3f |%n",
              e.getKey().replace("@", " × "),
              g.gap(),
              g.pairCos(),
              g.sameModalityNnCos()));
    }
    s.append('\n');
    s.append(
        "| data set | pairs | store | ranking | caption → own picture top1 / top5 | picture → own"
            + " caption top1 / top5 | top1 with the query record left out (t→i / i→t) | same"
            + " scene, other modality, top1 / top5 (t→i ; i→t) | ceiling: t→i filtered top1 /"
            + " top5 | same class @5 filtered (img / txt) | filtered lists unchanged | top-5"
            + " mixed | recall@10 |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (MixedQuality.Row w : r.rows()) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %s | %s / %s | %s / %s | %s / %s | %s / %s ; %s / %s | %s / %s |"
                  + " %s / %s | %s | %s | %.3f |%n",
              w.dataset(),
              w.size(),
              w.store(),
              w.ranking() == dev.tessera.api.Hit.Ranking.CALIBRATED ? "calibrated" : "raw",
              pct(w.textToImageTop1()),
              pct(w.textToImageTop5()),
              pct(w.imageToTextTop1()),
              pct(w.imageToTextTop5()),
              pct(w.textToImageTop1SelfOut()),
              pct(w.imageToTextTop1SelfOut()),
              pct(w.textToImageClassTop1()),
              pct(w.textToImageClassTop5()),
              pct(w.imageToTextClassTop1()),
              pct(w.imageToTextClassTop5()),
              pct(w.textToImageTop1Filtered()),
              pct(w.textToImageTop5Filtered()),
              pct(w.imageSameClass5()),
              pct(w.textSameClass5()),
              pct(w.filteredUnchanged()),
              pct(w.mixedTop5()),
              w.recallAt10()));
    }
    return s.toString();
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }
}
