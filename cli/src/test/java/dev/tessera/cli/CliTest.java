package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands driven in-process through picocli, with the fake bag-of-words encoder and the memory
 * store.
 */
class CliTest {
  @TempDir Path tmp;
  Path photos;
  Path modelA;
  Path modelB;
  Path collection;

  record Run(int code, String out, String err) {}

  static Run tessera(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** {@code tessera index DIR} into a new memory collection with model A, plus {@code more}. */
  Run indexWithModelA(Path dir, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "index",
                dir.toString(),
                "--collection",
                collection.toString(),
                "--model",
                modelA.toString(),
                "--store",
                "memory"));
    args.addAll(List.of(more));
    return tessera(args.toArray(String[]::new));
  }

  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};

  @BeforeEach
  void folder() throws Exception {
    photos = Files.createDirectories(tmp.resolve("photos"));
    Files.write(photos.resolve("001-red-circle.png"), PNG);
    Files.write(photos.resolve("002-blue-star.png"), PNG);
    Files.createDirectories(photos.resolve("sub"));
    Files.write(
        photos.resolve("sub/003-green-square.data"), PNG); // an image by content, whatever its name
    Files.writeString(photos.resolve("sub/note.txt"), "a green square drawn on paper");
    Files.writeString(
        photos.resolve("captions.csv"), "image,caption\n001-red-circle.png,a red circle\n");
    Files.writeString(photos.resolve("readme.md"), "not indexed");
    Files.write(photos.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    modelA = FakeEncoderProvider.write(tmp.resolve("model-a"), "A", false);
    modelB = FakeEncoderProvider.write(tmp.resolve("model-b"), "B", false);
    collection = tmp.resolve("c.tessera");
  }

  @Test
  void should_index_a_folder_and_find_images_by_text() {
    Run r = indexWithModelA(photos);
    assertThat(r.code()).as("exit status: a file was skipped; " + r.err()).isEqualTo(3);
    assertThat(r.out())
        .contains(
            "Indexed 5 new or changed records (3 images, 2 texts), 0 unchanged, 0 removed; 5 in ")
        .contains("Skipped 1 file(s):")
        .contains("broken.png: Image ")
        .contains("truncated")
        .contains("1 file(s) of other kinds ignored");

    Run s =
        tessera(
            "search",
            "--collection",
            collection.toString(),
            "--text",
            "blue star",
            "-k",
            "2",
            "--only",
            "images");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out().lines().findFirst().orElseThrow())
        .contains("image")
        .contains("002-blue-star.png");

    Run j =
        tessera(
            "search", "--collection", collection.toString(), "--text", "green square", "--json");
    JsonObject doc = JsonParser.parseString(j.out()).getAsJsonObject();
    assertThat(doc.getAsJsonArray("hits")).hasSize(5);
    assertThat(doc.getAsJsonArray("hits").get(0).getAsJsonObject().get("id").getAsString())
        .isIn("image:sub/003-green-square.data", "text:sub/note.txt");
  }

  @Test
  void should_filter_by_metadata_and_say_which_ranking_ordered_the_hits() {
    indexWithModelA(photos);
    String star = photos.resolve("002-blue-star.png").toAbsolutePath().toString();
    Run w =
        tessera(
            "search",
            "--collection",
            collection.toString(),
            "--text",
            "green square",
            "--where",
            "path = \"" + star.replace("\\", "\\\\") + "\"",
            "--json");
    assertThat(w.code()).as(w.err()).isZero();
    JsonObject doc = JsonParser.parseString(w.out()).getAsJsonObject();
    assertThat(doc.getAsJsonArray("hits")).hasSize(1);
    assertThat(doc.getAsJsonArray("hits").get(0).getAsJsonObject().get("id").getAsString())
        .isEqualTo("image:002-blue-star.png");
    assertThat(doc.getAsJsonObject("query").get("where").getAsString()).startsWith("path = ");
    assertThat(doc.get("ranking").getAsString()).isIn("calibrated", "similarity");

    Run raw =
        tessera(
            "search",
            "--collection",
            collection.toString(),
            "--text",
            "green square",
            "--ranking",
            "similarity",
            "--json");
    JsonObject r = JsonParser.parseString(raw.out()).getAsJsonObject();
    assertThat(r.get("ranking").getAsString()).isEqualTo("similarity");
    for (var h : r.getAsJsonArray("hits")) {
      assertThat(h.getAsJsonObject().get("rankScore").getAsFloat())
          .isEqualTo(h.getAsJsonObject().get("score").getAsFloat());
    }

    Run bad =
        tessera(
            "search", "--collection", collection.toString(), "--text", "x", "--where", "size >");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err().strip().lines()).hasSize(1);
    assertThat(bad.err()).contains("size >").containsIgnoringCase("position");

    Run typo =
        tessera(
            "search",
            "--collection",
            collection.toString(),
            "--text",
            "x",
            "--ranking",
            "calibratd");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("calibrated");
  }

  @Test
  void should_find_the_model_of_a_collection_made_before_the_manifest_hint() throws Exception {
    dev.tessera.api.ModelFingerprint fp;
    try (var enc = Models.open(modelA, null)) {
      fp = enc.fingerprint();
    }
    // an older collection: no model hint in its manifest, the CLI's sidecar beside its generations
    try (var c = dev.tessera.api.collection.VectorCollection.create(collection, "memory", fp)) {
      assertThat(c.hint(dev.tessera.api.collection.GenerationManifest.MODEL_HINT)).isEmpty();
    }
    Files.writeString(
        collection.resolve(Models.SIDECAR),
        "gen-000001=" + modelA.toAbsolutePath().toString().replace("\\", "\\\\") + "\n");
    Run r = tessera("index", photos.toString(), "--collection", collection.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(IndexCommand.SKIPPED);
    assertThat(r.err()).doesNotContain("built-in small CLIP");
    // the index recorded the hint, so the model is found without the sidecar from now on
    Files.delete(collection.resolve(Models.SIDECAR));
    Run s = tessera("search", "--collection", collection.toString(), "--text", "blue star");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.err()).doesNotContain("built-in small CLIP");
  }

  @Test
  void should_embed_only_changes_on_a_second_run_and_remove_deleted_files() throws Exception {
    indexWithModelA(photos);
    Run again = tessera("index", photos.toString(), "--collection", collection.toString());
    assertThat(again.out())
        .contains(
            "Indexed 0 new or changed records (0 images, 0 texts), 5 unchanged, 0 removed; 5 in ");
    Files.delete(photos.resolve("002-blue-star.png"));
    Files.writeString(photos.resolve("sub/note.txt"), "a green square drawn on paper, edited");
    Run third = tessera("index", photos.toString(), "--collection", collection.toString());
    assertThat(third.out())
        .contains(
            "Indexed 1 new or changed records (0 images, 1 texts), 3 unchanged, 1 removed; 4 in ");
    Run info = tessera("info", "--collection", collection.toString());
    assertThat(info.out())
        .contains("records:     4 (2 images, 2 texts)")
        .contains("store:       memory")
        .contains("model:       fake/bag-of-words-A")
        .contains("gen-000001  live");
  }

  @Test
  void should_refuse_a_query_from_another_model_in_one_line_suggesting_reindex() {
    indexWithModelA(photos);
    Run r =
        tessera(
            "search",
            "--collection",
            collection.toString(),
            "--text",
            "red",
            "--model",
            modelB.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err())
        .startsWith("tessera: Model fingerprint mismatch on open of collection")
        .contains("reindex")
        .doesNotContain("\tat ");
  }

  @Test
  void should_reindex_to_another_model_and_switch() {
    indexWithModelA(photos);
    Run r = tessera("reindex", "--collection", collection.toString(), "--model", modelB.toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("Re-embedded 5 records (0 resumed) of 5 from gen-000001 into gen-000002")
        .contains("Switched ");
    assertThat(tessera("info", "--collection", collection.toString()).out())
        .contains("model:       fake/bag-of-words-B")
        .contains("gen-000002  live");
    Run s =
        tessera(
            "search",
            "--collection",
            collection.toString(),
            "--text",
            "red circle",
            "-k",
            "1",
            "--only",
            "images");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("001-red-circle.png");
  }

  @Test
  void should_explain_bad_input_in_one_line_with_a_non_zero_exit() {
    Run missing = tessera("search", "--collection", tmp.resolve("nope").toString(), "--text", "x");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err())
        .startsWith("tessera: No collection at ")
        .contains("tessera index DIR --collection");
    Run store =
        tessera(
            "index",
            photos.toString(),
            "--collection",
            collection.toString(),
            "--model",
            modelA.toString(),
            "--store",
            "nosuch");
    assertThat(store.code()).as("a usage error").isEqualTo(2);
    assertThat(store.err())
        .startsWith(
            "tessera: Invalid value for option '--store': no store called 'nosuch' is on the class"
                + " path. Available: ")
        .contains("memory")
        .doesNotContain("Did you mean");
    Run model =
        tessera(
            "index",
            photos.toString(),
            "--collection",
            collection.toString(),
            "--model",
            tmp.resolve("no-model").toString());
    assertThat(model.code()).isEqualTo(1);
    assertThat(model.err()).contains("does not exist or is not a directory");
    Run usage = tessera("search", "--collection", collection.toString());
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("--text").contains("--image");
  }

  @Test
  void should_add_the_stack_trace_of_an_error_with_verbose_only() {
    Run quiet = tessera("info", "--collection", tmp.resolve("nope").toString());
    assertThat(quiet.err().lines().toList()).hasSize(1);
    Run verbose = tessera("--verbose", "info", "--collection", tmp.resolve("nope").toString());
    assertThat(verbose.code()).isEqualTo(1);
    assertThat(verbose.err())
        .startsWith("tessera: No collection at ")
        .contains("\tat dev.tessera.cli.InfoCommand.call");
  }

  @Test
  void should_print_help_and_a_completion_script() {
    Run help = tessera("--help");
    assertThat(help.out()).contains("index", "search", "info", "reindex", "conformance", "demo");
    Run completion = tessera("generate-completion");
    assertThat(completion.out()).contains("complete -F");
  }

  @Test
  void should_list_every_skipped_file_with_its_reason_and_exit_3() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mixed"));
    Files.write(dir.resolve("ok.png"), PNG);
    Files.write(dir.resolve("empty.jpg"), new byte[0]);
    Files.writeString(dir.resolve("notes.jpg"), "this is text, not a picture");
    Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', (byte) 0xE9});
    Files.writeString(
        dir.resolve("captions.csv"), "image,caption\nok.png,a fine picture\nok.png\n");
    Files.writeString(dir.resolve("notes.md"), "not something tessera indexes");

    Run r = indexWithModelA(dir);

    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(IndexCommand.SKIPPED);
    assertThat(r.out())
        .contains("Indexed 2 new or changed records (1 images, 1 texts)")
        .contains("Skipped 4 file(s):")
        .contains(dir.resolve("empty.jpg") + ": empty file")
        .contains(
            dir.resolve("notes.jpg")
                + ": File "
                + dir.resolve("notes.jpg")
                + " is not an image in a format Tessera reads")
        .contains(dir.resolve("latin1.txt") + ": not UTF-8 text")
        .contains(dir.resolve("captions.csv") + ":3: caption not understood (expected two fields")
        .contains("1 file(s) of other kinds ignored (not images, .txt or .csv/.jsonl captions);")
        .doesNotContain("notes.md");

    Run again =
        tessera("--verbose", "index", dir.toString(), "--collection", collection.toString());
    assertThat(again.code()).isEqualTo(IndexCommand.SKIPPED);
    assertThat(again.out()).contains("Skipped 4 file(s):").contains("  " + dir.resolve("notes.md"));
  }

  @Test
  void should_exit_0_when_every_file_was_indexed() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("clean"));
    Files.write(dir.resolve("001-red-circle.png"), PNG);
    Files.writeString(dir.resolve("note.txt"), "a red circle");
    Run r = indexWithModelA(dir);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("Indexed 2 new")
        .doesNotContain("Skipped")
        .doesNotContain("ignored");
  }

  @Test
  void should_read_quoted_csv_captions_with_commas_quotes_and_line_breaks() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("quoted"));
    Files.write(dir.resolve("red, circle.png"), PNG);
    Files.writeString(
        dir.resolve("captions.csv"),
        "image,caption\n"
            + "\"red, circle.png\",\"a red circle, small\"\n"
            + "\"red, circle.png\",\"a \"\"quoted\"\" circle\non two lines\"\n");
    Run r = indexWithModelA(dir);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("Indexed 3 new or changed records (1 images, 2 texts)");
    Run s =
        tessera(
            "search",
            "--collection",
            collection.toString(),
            "--text",
            "quoted",
            "--only",
            "texts",
            "--json");
    JsonObject doc = JsonParser.parseString(s.out()).getAsJsonObject();
    List<String> texts = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (var h : doc.getAsJsonArray("hits")) {
      texts.add(h.getAsJsonObject().get("text").getAsString());
      ids.add(h.getAsJsonObject().get("id").getAsString());
    }
    assertThat(texts)
        .containsExactlyInAnyOrder("a red circle, small", "a \"quoted\" circle\non two lines");
    assertThat(ids)
        .containsExactlyInAnyOrder("caption:red, circle.png#1", "caption:red, circle.png#2");
  }

  @Test
  void should_keep_the_demo_out_of_a_folder_it_did_not_make() throws Exception {
    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve("thesis.txt"), "precious");
    Run r = tessera("demo", "--out", mine.toString(), "--store", "memory");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith(
            "tessera: " + mine.toAbsolutePath() + " exists and was not made by tessera demo")
        .contains("--out DIR");
    try (var files = Files.list(mine)) {
      assertThat(files.toList()).containsExactly(mine.resolve("thesis.txt"));
    }
  }
}
