package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command as a real process: index + search, and a reindex that is searched meanwhile, killed,
 * and run again.
 */
class CliProcessTest {
  @TempDir Path tmp;

  static ProcessBuilder tessera(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  static String runToEnd(ProcessBuilder pb, int expectedExit) throws Exception {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("process ended").isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(expectedExit);
    return out;
  }

  private Path textFolder(int n) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("notes"));
    String[] colours = {"red", "green", "blue", "yellow"};
    String[] shapes = {"circle", "star", "square", "ring", "cross"};
    for (int i = 0; i < n; i++) {
      Files.writeString(
          dir.resolve(String.format("n%03d.txt", i)),
          "a " + colours[i % 4] + " " + shapes[i % 5] + " number " + i);
    }
    return dir;
  }

  @Test
  void should_index_and_search_as_separate_processes() throws Exception {
    Path notes = textFolder(20);
    Path model = FakeEncoderProvider.write(tmp.resolve("model"), "A", false);
    Path c = tmp.resolve("c.tessera");
    String out =
        runToEnd(
            tessera(
                "index",
                notes.toString(),
                "--collection",
                c.toString(),
                "--model",
                model.toString(),
                "--store",
                "memory"),
            0);
    assertThat(out).contains("Indexed 20 new or changed records (0 images, 20 texts)");
    String hits =
        runToEnd(
            tessera(
                "search",
                "--collection",
                c.toString(),
                "--text",
                "blue square number 2",
                "-k",
                "3"),
            0);
    assertThat(hits.lines().filter(l -> l.matches("\\s*\\d+\\s+\\d\\.\\d{4}\\s+text.*")).toList())
        .hasSize(3);
    assertThat(hits).contains("\"a blue square number 2\"");
  }

  @Test
  void should_keep_searching_during_a_reindex_and_resume_one_that_was_killed() throws Exception {
    Path notes = textFolder(200);
    Path modelA = FakeEncoderProvider.write(tmp.resolve("model-a"), "A", false);
    Path modelB =
        FakeEncoderProvider.write(
            tmp.resolve("model-b"), "B", true, 300); // announces each batch; 300 ms a batch
    Path c = tmp.resolve("c.tessera");
    runToEnd(
        tessera(
            "index",
            notes.toString(),
            "--collection",
            c.toString(),
            "--model",
            modelA.toString(),
            "--store",
            "memory"),
        0);

    Process reindex =
        tessera(
                "reindex",
                "--collection",
                c.toString(),
                "--model",
                modelB.toString(),
                "--batch",
                "10")
            .redirectErrorStream(true)
            .start();
    int batches = 0;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(reindex.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.startsWith("fake-encoder: embedded")) continue;
        batches++;
        if (batches == 2) {
          // A search while the reindex runs: still answered from the old generation with the old
          // model.
          String hits =
              runToEnd(
                  tessera(
                      "search",
                      "--collection",
                      c.toString(),
                      "--text",
                      "red circle number 0",
                      "-k",
                      "1"),
                  0);
          assertThat(hits).contains("\"a red circle number 0\"");
        }
        if (batches == 5) {
          reindex.destroyForcibly();
          break;
        }
      }
    }
    reindex.waitFor(60, TimeUnit.SECONDS);
    assertThat(batches).as("the reindex was killed halfway").isEqualTo(5);
    String info = runToEnd(tessera("info", "--collection", c.toString()), 0);
    assertThat(info)
        .contains("model:       fake/bag-of-words-A")
        .contains("gen-000001  live")
        .contains("records:     200");

    String again =
        runToEnd(
            tessera(
                "reindex",
                "--collection",
                c.toString(),
                "--model",
                modelB.toString(),
                "--batch",
                "10"),
            0);
    assertThat(again)
        .containsPattern("Resuming: \\d+ of 200 records were re-embedded by an earlier run.")
        .contains("into gen-000002")
        .contains("Switched ");
    String after = runToEnd(tessera("info", "--collection", c.toString()), 0);
    assertThat(after)
        .contains("model:       fake/bag-of-words-B")
        .contains("gen-000002  live")
        .contains("records:     200");
  }
}
