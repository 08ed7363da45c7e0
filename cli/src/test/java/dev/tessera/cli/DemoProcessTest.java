package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code tessera demo} as a real process on the real stack: the project's small CLIP through the onnx
 * encoder, the default store, pictures drawn by the Java port of the training generator.
 */
class DemoProcessTest {
  private static final Pattern TEXT_QUERY = Pattern.compile("Text → images: \"an? (small|large) (\\w+) (\\w+) on an? \\w+ background\"");

  static Path repoRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("tessera")) && Files.isDirectory(d.resolve("models/tiny-clip"))) return d;
    }
    throw new AssertionError("The repository root with models/tiny-clip was not found above " + Path.of("").toAbsolutePath()
        + ": the demo needs the project's small CLIP.");
  }

  @Test
  void demo_finds_the_pictures_its_captions_describe() throws Exception {
    ProcessBuilder pb = CliProcessTest.tessera("demo");
    pb.command().add(1, "-Dtessera.home=" + repoRoot());
    String out = CliProcessTest.runToEnd(pb, 0);
    assertThat(out).contains("Generated 48 captioned pictures").contains("Indexed 48 images and 48 captions into one 'lucene' collection")
        .contains("Image → captions: ").contains("Done in ");
    List<String> lines = out.lines().toList();
    int checked = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = TEXT_QUERY.matcher(lines.get(i));
      if (!m.find()) continue;
      String top = lines.get(i + 1);
      assertThat(top).as("top hit for: " + lines.get(i)).contains("image").contains("-" + m.group(2) + "-" + m.group(3) + ".png");
      checked++;
    }
    assertThat(checked).as("text queries checked").isEqualTo(3);
  }
}
