package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tessera demo} as a real process on the real stack: the project's small CLIP through the
 * onnx encoder, the default store, pictures drawn by the Java port of the training generator. It
 * needs {@code models/tiny-clip} in the repository, or {@code -Dtessera.models=DIR} naming a folder
 * that holds it.
 */
class DemoProcessTest {
  private static final Pattern TEXT_QUERY =
      Pattern.compile("Text → images: \"an? (small|large) (\\w+) (\\w+) on an? \\w+ background\"");

  static Path repoRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("tessera"))
          && Files.isDirectory(d.resolve("models/tiny-clip"))) return d;
    }
    throw new AssertionError(
        "The repository root with models/tiny-clip was not found above "
            + Path.of("").toAbsolutePath()
            + ": the demo needs the project's small CLIP.");
  }

  @TempDir Path tmp;

  @Test
  void demo_finds_the_pictures_its_captions_describe_and_keeps_them() throws Exception {
    Path dir = tmp.resolve("demo");
    ProcessBuilder pb = CliProcessTest.tessera("demo", "--out", dir.toString());
    String models = System.getProperty("tessera.models");
    pb.command()
        .add(1, models != null ? "-Dtessera.models=" + models : "-Dtessera.home=" + repoRoot());
    String out = CliProcessTest.runToEnd(pb, 0);
    assertThat(out)
        .contains("Generated 48 captioned pictures")
        .contains("Indexed 48 images and 48 captions into one 'lucene' collection")
        .contains("Image → captions: ")
        .contains("Done in ")
        .contains("The pictures and the collection are kept in " + dir)
        .contains("tessera search --collection " + dir.resolve("demo.tessera"));
    // what the demo printed is still there to open and search
    try (var pictures = Files.list(dir.resolve("pictures"))) {
      assertThat(pictures.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(48);
    }
    assertThat(dev.tessera.api.collection.VectorCollection.exists(dir.resolve("demo.tessera")))
        .isTrue();
    // and searching it again needs no --model: the collection remembers the demo's
    try (var c =
        dev.tessera.api.collection.VectorCollection.openReadOnly(
            dir.resolve("demo.tessera"), null)) {
      assertThat(Models.remembered(c)).isNotNull();
      assertThat(c.hint(dev.tessera.api.collection.GenerationManifest.MODEL_HINT)).isPresent();
    }
    assertThat(dir.resolve("demo.tessera").resolve(Models.SIDECAR)).doesNotExist();
    List<String> lines = out.lines().toList();
    int checked = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = TEXT_QUERY.matcher(lines.get(i));
      if (!m.find()) continue;
      String top = lines.get(i + 1);
      assertThat(top)
          .as("top hit for: " + lines.get(i))
          .contains("image")
          .contains("-" + m.group(2) + "-" + m.group(3) + ".png");
      checked++;
    }
    assertThat(checked).as("text queries checked").isEqualTo(3);
    // the unfiltered query ranks pictures and captions together: both kinds in its top 5, and
    // the caption's own picture among them
    int mixed =
        lines.indexOf(
            lines.stream().filter(l -> l.contains("ranked together: ")).findFirst().orElseThrow());
    List<String> top5 = lines.subList(mixed + 1, mixed + 6);
    assertThat(top5).anyMatch(l -> l.contains("  image  ")).anyMatch(l -> l.contains("  text  "));
    assertThat(top5).allMatch(l -> l.contains("(rank "));
  }

  @Test
  void demo_on_cassandra_starts_a_real_node_finds_the_pictures_and_stops_it() throws Exception {
    Path dir = tmp.resolve("demo-cassandra");
    ProcessBuilder pb =
        CliProcessTest.tessera(
            "demo", "--out", dir.toString(), "--store", "cassandra", "--images", "12");
    String models = System.getProperty("tessera.models");
    pb.command()
        .add(1, models != null ? "-Dtessera.models=" + models : "-Dtessera.home=" + repoRoot());
    assertDemoOnItsOwnCassandraNode(CliProcessTest.runToEnd(pb, 0), 12);
    // The collection directory holds only the store's locator: the records were in the node.
    assertThat(dir.resolve("demo.tessera")).isDirectory();
  }

  /**
   * What {@code tessera demo --store cassandra --images N} prints when it started its own node,
   * indexed, found the picture each of its three text queries describes first, and stopped the
   * node.
   */
  static void assertDemoOnItsOwnCassandraNode(String out, int images) {
    assertThat(out)
        .contains("Starting a local Cassandra 5.0 node")
        .containsPattern("Cassandra is up at 127\\.0\\.0\\.1:\\d+ \\(datacenter \\w+\\)")
        .contains(
            "Indexed "
                + images
                + " images and "
                + images
                + " captions into one 'cassandra' collection")
        .contains("Image → captions: ")
        .contains("which stops now with its data");
    List<String> lines = out.lines().toList();
    int checked = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = TEXT_QUERY.matcher(lines.get(i));
      if (!m.find()) continue;
      assertThat(lines.get(i + 1))
          .as("top hit for: " + lines.get(i))
          .contains("image")
          .contains("-" + m.group(2) + "-" + m.group(3) + ".png");
      checked++;
    }
    assertThat(checked).as("text queries checked").isEqualTo(3);
  }

  @Test
  void demo_refuses_contact_points_for_another_store() throws Exception {
    ProcessBuilder pb =
        CliProcessTest.tessera(
            "demo",
            "--out",
            tmp.resolve("d").toString(),
            "--store",
            "memory",
            "--contact-points",
            "127.0.0.1:9042");
    String models = System.getProperty("tessera.models");
    pb.command()
        .add(1, models != null ? "-Dtessera.models=" + models : "-Dtessera.home=" + repoRoot());
    String out = CliProcessTest.runToEnd(pb, 1);
    assertThat(out).contains("--contact-points is for --store cassandra, not --store memory.");
    assertThat(tmp.resolve("d"))
        .as("nothing written before the options are checked")
        .doesNotExist();
  }
}
