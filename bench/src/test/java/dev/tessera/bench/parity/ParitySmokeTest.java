package dev.tessera.bench.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parity harness's smoke mode: every row on every case, sane recall, all outputs written. */
class ParitySmokeTest {
  @TempDir Path out;

  @Test
  void smokeRunHasEveryRowAndSaneRecall() throws Exception {
    List<ParityPoint> points =
        ParityHarness.run(ParityHarness.parse(new String[] {"--smoke", "--out", out.toString()}));

    assertThat(points).allSatisfy(p -> assertThat(p.note()).isEmpty());
    Set<String> engines = points.stream().map(ParityPoint::engine).collect(Collectors.toSet());
    assertThat(engines).containsExactlyInAnyOrderElementsOf(ParityHarness.ENGINES);
    List<String> cases =
        List.of("unfiltered", "modality=image", "rank<0.1%", "rank<1%", "rank<10%", "rank<50%");
    for (String engine : ParityHarness.ENGINES) {
      Set<String> seen =
          points.stream()
              .filter(p -> p.engine().equals(engine))
              .map(ParityPoint::caseName)
              .collect(Collectors.toSet());
      if (engine.endsWith("-incremental")) assertThat(seen).containsExactly("unfiltered");
      else assertThat(seen).containsExactlyInAnyOrderElementsOf(cases);
    }
    // exact store agrees with the oracle; the graphs at their widest knob are close to it
    assertThat(points)
        .filteredOn(p -> p.engine().equals("memory"))
        .allSatisfy(p -> assertThat(p.recall()).isEqualTo(1.0));
    for (String engine : ParityHarness.ENGINES) {
      double best =
          points.stream()
              .filter(p -> p.engine().equals(engine) && p.caseName().equals("unfiltered"))
              .mapToDouble(ParityPoint::recall)
              .max()
              .orElseThrow();
      assertThat(best).as(engine).isGreaterThan(0.9);
    }
    assertThat(points).allSatisfy(p -> assertThat(p.qps()).isPositive());
    assertThat(points).allSatisfy(p -> assertThat(p.buildRate()).isPositive());

    String md = Files.readString(out.resolve("results.md"));
    for (String store : List.of("lucene", "lucene-incremental", "jvector", "jvector-incremental"))
      assertThat(md).contains("| unfiltered | " + store + " vs raw-");
    assertThat(md).contains("| rank<1% | jvector vs raw-jvector");
    assertThat(Files.readString(out.resolve("results.json")))
        .contains("\"engine\": \"raw-lucene\"");
    assertThat(out.resolve("recall-qps-unfiltered.png")).isNotEmptyFile();
    assertThat(out.resolve("recall-qps-rank-0.1-.png")).isNotEmptyFile();
  }

  @Test
  void unknownDataSetIsRefusedByName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ParityData.generate("clipp", 2000, 10, 16, 1))
        .hasMessageContaining("'clipp'")
        .hasMessageContaining("strong-gap");
  }

  @Test
  void rankFilterSelectsExactlyTheShare() {
    ParityData d = ParityData.generate("clip", 10_000, 4, 16, 7);
    Map<String, Integer> want =
        Map.of("rank<0.1%", 10, "rank<1%", 100, "rank<10%", 1000, "rank<50%", 5000);
    for (ParityCase c : d.cases()) {
      if (want.containsKey(c.name())) assertThat(d.rows(c)).hasSize(want.get(c.name()));
    }
    assertThat(d.rows(d.cases().get(1))).hasSize(5000); // modality=image
  }
}
