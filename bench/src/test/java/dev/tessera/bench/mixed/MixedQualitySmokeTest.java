package dev.tessera.bench.mixed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.Hit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the mixed-collection quality harness at a toy size on the committed small CLIP and a narrow
 * CLIP-like set, on every store, and checks what the calibrated ranking promises against raw
 * similarity: more own pairs found, filtered lists untouched.
 */
class MixedQualitySmokeTest {
  @TempDir Path dir;

  @Test
  void calibratedRankingFindsMoreOwnPairsThanRawAndLeavesFilteredListsAlone() throws Exception {
    Path out = dir.resolve("out");
    MixedQualityHarness.Options o =
        MixedQualityHarness.Options.parse(
            new String[] {
              "--smoke",
              "--model",
              models().resolve("tiny-clip").toString(),
              "--stores",
              "memory,lucene,jvector",
              "--out",
              out.toString(),
              "--work",
              dir.resolve("work").toString()
            });
    MixedQualityHarness.Result r = MixedQualityHarness.run(o);

    assertThat(r.rows()).hasSize(2 * 3 * 2); // 2 data sets × 3 stores × 2 rankings
    for (int i = 0; i < r.rows().size(); i += 2) {
      MixedQuality.Row raw = r.rows().get(i);
      MixedQuality.Row cal = r.rows().get(i + 1);
      String where = raw.dataset() + " on " + raw.store();
      assertThat(raw.ranking()).isEqualTo(Hit.Ranking.SIMILARITY);
      assertThat(cal.ranking()).isEqualTo(Hit.Ranking.CALIBRATED);
      assertThat(cal.textToImageTop1()).as(where).isGreaterThan(raw.textToImageTop1());
      assertThat(cal.imageToTextTop1()).as(where).isGreaterThan(raw.imageToTextTop1());
      assertThat(cal.textToImageTop5()).as(where).isGreaterThanOrEqualTo(raw.textToImageTop5());
      assertThat(cal.imageToTextTop5()).as(where).isGreaterThanOrEqualTo(raw.imageToTextTop5());
      assertThat(cal.textToImageTop5()).as(where).isGreaterThanOrEqualTo(0.9);
      assertThat(cal.imageToTextTop5()).as(where).isGreaterThanOrEqualTo(0.9);
      assertThat(cal.mixedTop5()).as(where).isGreaterThanOrEqualTo(raw.mixedTop5());
      assertThat(cal.filteredUnchanged()).as(where).isEqualTo(1.0);
      assertThat(cal.imageSameClass5()).as(where).isEqualTo(raw.imageSameClass5());
      assertThat(cal.recallAt10()).as(where).isBetween(0.8, 1.0);
    }
    assertThat(r.gaps()).containsKeys("tiny-clip@150", "clip-like-gap1.00@150");
    assertThat(Files.readString(out.resolve("results.csv")))
        .startsWith(Reports.HEADER)
        .contains("tiny-clip,150,lucene,CALIBRATED");
    assertThat(Files.readString(out.resolve("gaps.csv"))).contains("clip-like-gap1.00,150,");
    assertThat(Files.readString(out.resolve("quality.svg")))
        .startsWith("<svg")
        .contains("<polyline", "tiny-clip")
        .endsWith("</svg>\n");
  }

  @Test
  void badOptionsNameTheValueAndTheFix() {
    assertThatThrownBy(() -> MixedQualityHarness.Options.parse(new String[] {"--sizes", "0,x"}))
        .hasMessageContaining("--sizes needs positive whole numbers")
        .hasMessageContaining("'0,x'");
    assertThatThrownBy(() -> MixedQualityHarness.Options.parse(new String[] {"--size", "3"}))
        .hasMessageContaining("Unknown option '--size'");
    assertThatThrownBy(
            () ->
                MixedQualityHarness.run(
                    MixedQualityHarness.Options.parse(
                        new String[] {"--smoke", "--model", dir.resolve("nope").toString()})))
        .hasMessageContaining("--model none");
  }

  @Test
  void aPrefixKeepsTheFirstPairsAndRejectsSizesItDoesNotHave() {
    MixedData d = new PairedClipLike(1, 8, 3, 1.0, 0.8).generate(10);
    MixedData p = d.prefix(4);
    assertThat(p.size()).isEqualTo(4);
    assertThat(p.images()[3]).isEqualTo(d.images()[3]);
    assertThat(p.classes())
        .containsExactly(d.classes()[0], d.classes()[1], d.classes()[2], d.classes()[3]);
    assertThatThrownBy(() -> d.prefix(11)).hasMessageContaining("1..10 pairs, got 11");
  }

  /** The repository's models directory, found from the module directory upwards. */
  static Path models() {
    Path d = Path.of("").toAbsolutePath();
    for (int i = 0; i < 4 && d != null; i++, d = d.getParent()) {
      if (Files.isDirectory(d.resolve("models/tiny-clip"))) return d.resolve("models");
    }
    throw new IllegalStateException(
        "models/tiny-clip not found above " + Path.of("").toAbsolutePath());
  }
}
