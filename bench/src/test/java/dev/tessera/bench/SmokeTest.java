package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the harness and one JMH benchmark at toy sizes so neither can rot; asserts outputs, never
 * speed.
 */
class SmokeTest {
  @TempDir Path dir;

  @Test
  void harnessWritesJsonMarkdownAndPlotsAndTheExactStoreAgreesWithTheOracle() throws Exception {
    HarnessOptions o =
        HarnessOptions.parse(
            new String[] {
              "--smoke",
              "--no-progress",
              "--out",
              dir.resolve("out").toString(),
              "--work",
              dir.resolve("work").toString(),
              "--backends",
              "memory,jvector,jvector-pq,lucene"
            });
    List<Harness.Point> points = Harness.run(o);

    Path out = dir.resolve("out");
    assertThat(out.resolve("results.json")).exists();
    assertThat(Files.readString(out.resolve("results.json")))
        .contains("\"recallAt10\"", "\"qps2\"", "\"heapBytesPerVector\"");
    assertThat(Files.readString(out.resolve("results.md"))).contains("| memory |", "| jvector |");
    for (String png :
        new String[] {"recall-qps-memory.png", "recall-qps-jvector.png", "recall-qps-all.png"}) {
      byte[] head = Files.readAllBytes(out.resolve(png));
      assertThat(head).as(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }
    Harness.Point exact =
        points.stream().filter(p -> p.backend().equals("memory")).findFirst().orElseThrow();
    assertThat(exact.recall())
        .as("the memory store is exact, so it must match the brute-force oracle")
        .isEqualTo(1.0);
    assertThat(points)
        .filteredOn(p -> p.backend().startsWith("jvector"))
        .allSatisfy(
            p -> {
              assertThat(p.recall()).isBetween(0.0, 1.0);
              assertThat(p.diskBytes()).isPositive();
            });
  }

  @Test
  void oneKernelBenchmarkRunsInJmh() throws Exception {
    Options opt =
        new OptionsBuilder()
            .include(KernelBenchmark.class.getName() + ".panamaDot$")
            .param("dim", "128")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(200))
            .build();
    Collection<RunResult> results = new Runner(opt).run();
    assertThat(results).hasSize(1);
    assertThat(results.iterator().next().getPrimaryResult().getScore()).isPositive();
  }

  @Test
  void harnessEmbedsGeneratedPicturesAndCaptionsWithAClipModel() throws Exception {
    // The seeded random-weight CLIP fixture of encoders-onnx: tiny, but the real encoder path.
    Path model =
        Path.of("../encoders-onnx/src/test/resources/layouts/split").toAbsolutePath().normalize();
    assertThat(model).as("the committed CLIP fixture of encoders-onnx").isDirectory();
    HarnessOptions o =
        HarnessOptions.parse(
            new String[] {
              "--smoke",
              "--no-progress",
              "--sizes",
              "",
              "--model",
              model.toString(),
              "--pictures",
              "40",
              "--queries",
              "20",
              "--out",
              dir.resolve("out").toString(),
              "--work",
              dir.resolve("work").toString(),
              "--backends",
              "memory,jvector"
            });
    List<Harness.Point> points = Harness.run(o);

    assertThat(points)
        .extracting(Harness.Point::dataset)
        .allMatch(d -> d.startsWith("pictures+captions-"));
    assertThat(points).extracting(Harness.Point::n).containsOnly(80);
    assertThat(points.get(0).recall()).as("exact store vs oracle").isEqualTo(1.0);
  }
}
