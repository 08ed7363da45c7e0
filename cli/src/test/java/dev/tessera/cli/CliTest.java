package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Run r =
        tessera(
            "index",
            photos.toString(),
            "--collection",
            collection.toString(),
            "--model",
            modelA.toString(),
            "--store",
            "memory");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "Indexed 5 new or changed records (3 images, 2 texts), 0 unchanged, 0 removed; 5 in ")
        .contains("1 file(s) could not be indexed:")
        .contains("broken.png: Image ")
        .contains("truncated");

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
  void should_embed_only_changes_on_a_second_run_and_remove_deleted_files() throws Exception {
    tessera(
        "index",
        photos.toString(),
        "--collection",
        collection.toString(),
        "--model",
        modelA.toString(),
        "--store",
        "memory");
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
    tessera(
        "index",
        photos.toString(),
        "--collection",
        collection.toString(),
        "--model",
        modelA.toString(),
        "--store",
        "memory");
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
    tessera(
        "index",
        photos.toString(),
        "--collection",
        collection.toString(),
        "--model",
        modelA.toString(),
        "--store",
        "memory");
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
    assertThat(store.code()).isEqualTo(1);
    assertThat(store.err())
        .startsWith("tessera: No vector store called 'nosuch' is on the class path. Available: ")
        .contains("memory");
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
  void should_print_help_and_a_completion_script() {
    Run help = tessera("--help");
    assertThat(help.out()).contains("index", "search", "info", "reindex", "conformance", "demo");
    Run completion = tessera("generate-completion");
    assertThat(completion.out()).contains("complete -F");
  }
}
