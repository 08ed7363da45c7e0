package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caption manifests: RFC 4180 CSV and JSON lines, with the line of every problem. */
class CaptionManifestsTest {
  @TempDir Path tmp;

  @Test
  void should_read_quoted_fields_and_number_lines_across_multi_line_records() throws Exception {
    Path csv = tmp.resolve("captions.csv");
    Files.writeString(
        csv,
        "image,caption\n"
            + "a.png,plain\n"
            + "\"b, c.png\",\"two\nlines\"\n"
            + "\n"
            + "d.png\n"
            + "e.png,\"say \"\"cheese\"\"\"\n");
    CaptionManifests.Contents c = CaptionManifests.read(csv);
    assertThat(c.captions())
        .containsExactly(
            new CaptionManifests.Caption(2, "a.png", "plain"),
            new CaptionManifests.Caption(3, "b, c.png", "two\nlines"),
            new CaptionManifests.Caption(7, "e.png", "say \"cheese\""));
    assertThat(c.problems()).hasSize(1);
    assertThat(c.problems().get(0).line()).isEqualTo(6);
    assertThat(c.problems().get(0).reason()).startsWith("expected two fields, image,caption");
  }

  @Test
  void should_read_a_csv_without_header_and_stop_at_an_unclosed_quote() throws Exception {
    Path csv = tmp.resolve("captions.csv");
    Files.writeString(csv, "a.png,first\nb.png,\"never closed\nc.png,lost\n");
    CaptionManifests.Contents c = CaptionManifests.read(csv);
    assertThat(c.captions()).containsExactly(new CaptionManifests.Caption(1, "a.png", "first"));
    assertThat(c.problems()).hasSize(1);
    assertThat(c.problems().get(0).line()).isEqualTo(2);
    assertThat(c.problems().get(0).reason()).startsWith("not valid CSV: ");
  }

  @Test
  void should_read_json_lines_and_report_a_bad_one() throws Exception {
    Path jsonl = tmp.resolve("captions.jsonl");
    Files.writeString(
        jsonl,
        "{\"image\": \"a.png\", \"caption\": \"a, with comma\"}\n"
            + "not json\n"
            + "{\"image\": \"b.png\"}\n");
    CaptionManifests.Contents c = CaptionManifests.read(jsonl);
    assertThat(c.captions())
        .containsExactly(new CaptionManifests.Caption(1, "a.png", "a, with comma"));
    assertThat(c.problems()).extracting(CaptionManifests.Problem::line).containsExactly(2, 3);
  }
}
