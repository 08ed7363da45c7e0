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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command as a real process: index + search, and a reindex that is searched meanwhile, killed,
 * and run again.
 */
class CliProcessTest {
  @TempDir Path tmp;

  /**
   * The command as a child JVM on this test's class path, given on its command line as an IDE or
   * Maven gives it (several KB: ONNX Runtime's start-up once crashed such a JVM, issue 11).
   */
  static ProcessBuilder tessera(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
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

  /**
   * {@code pb} with SIGINT at its default action. A JVM whose parent ignores SIGINT (a build
   * started in the background by a shell without job control) inherits that, and Ctrl-C would do
   * nothing; GNU env resets it. Elsewhere (no /proc) the test's own disposition is the default.
   */
  static ProcessBuilder withDefaultSigint(ProcessBuilder pb) throws Exception {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) return pb;
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
        if ((ignored & (1L << (2 - 1))) != 0)
          pb.command().addAll(0, List.of("env", "--default-signal=INT"));
      }
    }
    return pb;
  }

  @Test
  void should_keep_every_committed_batch_on_ctrl_c_and_say_how_to_resume() throws Exception {
    Path notes = textFolder(60);
    Path model = FakeEncoderProvider.write(tmp.resolve("model"), "A", false, 200);
    Path c = tmp.resolve("c.tessera");
    Process index =
        withDefaultSigint(
                tessera(
                    "--verbose",
                    "index",
                    notes.toString(),
                    "--collection",
                    c.toString(),
                    "--model",
                    model.toString(),
                    "--store",
                    "memory",
                    "--batch",
                    "5"))
            .redirectErrorStream(true)
            .start();
    StringBuilder output = new StringBuilder();
    boolean sent = false;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(index.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.append(line).append('\n');
        if (!sent && line.contains("committed batch 3 of 12")) {
          // Ctrl-C, as a terminal sends it: SIGINT to the process
          assertThat(
                  new ProcessBuilder("kill", "-INT", Long.toString(index.pid())).start().waitFor())
              .isZero();
          sent = true;
        }
      }
    }
    assertThat(index.waitFor(60, TimeUnit.SECONDS)).as("index ended").isTrue();
    String out = output.toString();
    assertThat(sent).as("SIGINT sent after the third batch; output:%n%s", out).isTrue();
    assertThat(index.exitValue()).as(out).isEqualTo(IndexCommand.INTERRUPTED);
    Matcher kept =
        Pattern.compile(
                "Interrupted: the (\\d+) batch\\(es\\) committed by this run are kept \\((\\d+)"
                    + " records; (\\d+) in the collection\\); (\\d+) file\\(s\\) were not embedded"
                    + " yet.")
            .matcher(out);
    assertThat(kept.find()).as(out).isTrue();
    int batches = Integer.parseInt(kept.group(1));
    int records = Integer.parseInt(kept.group(2));
    assertThat(batches).as("batches committed before the signal was handled").isBetween(3, 11);
    assertThat(records).isEqualTo(5 * batches);
    assertThat(Integer.parseInt(kept.group(3))).isEqualTo(records);
    assertThat(Integer.parseInt(kept.group(4))).isEqualTo(60 - records);
    assertThat(out)
        .contains(
            "Indexed " + records + " new or changed records (0 images, " + records + " texts)")
        .contains(
            "To finish, run the same command again: tessera index " + notes + " --collection " + c)
        .as("--verbose logs progress, not stack traces")
        .doesNotContain("\tat ");

    // every committed batch survived the interrupted process
    assertThat(runToEnd(tessera("info", "--collection", c.toString()), 0))
        .contains("records:     " + records + " (0 images, " + records + " texts)");
    // and the same command finishes the job
    assertThat(runToEnd(tessera("index", notes.toString(), "--collection", c.toString()), 0))
        .contains(
            "Indexed "
                + (60 - records)
                + " new or changed records (0 images, "
                + (60 - records)
                + " texts), "
                + records
                + " unchanged, 0 removed; 60 in ");
  }
}
