package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} of every command that reports something: stdout is one JSON document with the
 * fields cli/README.md documents, and nothing else.
 */
class JsonOutputTest {
  @TempDir Path tmp;
  Path photos;
  Path modelA;
  Path collection;

  @BeforeEach
  void folder() throws Exception {
    photos = Files.createDirectories(tmp.resolve("photos"));
    Files.write(photos.resolve("001-red-circle.png"), CliTest.PNG);
    Files.writeString(photos.resolve("note.txt"), "a blue star");
    Files.write(photos.resolve("empty.jpg"), new byte[0]);
    modelA = FakeEncoderProvider.write(tmp.resolve("model-a"), "A", false);
    collection = tmp.resolve("c.tessera");
  }

  private static JsonObject parse(CliTest.Run r, int expectedExit) {
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(expectedExit);
    return JsonParser.parseString(r.out()).getAsJsonObject();
  }

  private CliTest.Run index() {
    return CliTest.tessera(
        "index",
        photos.toString(),
        "--collection",
        collection.toString(),
        "--model",
        modelA.toString(),
        "--store",
        "memory",
        "--json");
  }

  @Test
  void index_reports_counts_skipped_files_and_its_exit_status() {
    JsonObject d = parse(index(), IndexCommand.SKIPPED);
    assertThat(d.keySet())
        .containsExactly(
            "collection",
            "folder",
            "store",
            "model",
            "embedded",
            "images",
            "texts",
            "unchanged",
            "removed",
            "records",
            "skipped",
            "ignored",
            "batches",
            "interrupted",
            "pending",
            "resume",
            "exitCode");
    assertThat(d.get("collection").getAsString()).isEqualTo(collection.toAbsolutePath().toString());
    assertThat(d.get("store").getAsString()).isEqualTo("memory");
    assertThat(d.get("model").getAsString()).isEqualTo("fake/bag-of-words-A");
    assertThat(d.get("embedded").getAsInt()).isEqualTo(2);
    assertThat(d.get("images").getAsInt()).isEqualTo(1);
    assertThat(d.get("texts").getAsInt()).isEqualTo(1);
    assertThat(d.get("records").getAsLong()).isEqualTo(2);
    JsonArray skipped = d.getAsJsonArray("skipped");
    assertThat(skipped).hasSize(1);
    assertThat(skipped.get(0).getAsJsonObject().get("file").getAsString())
        .isEqualTo(photos.resolve("empty.jpg").toString());
    assertThat(skipped.get(0).getAsJsonObject().get("reason").getAsString())
        .isEqualTo("empty file");
    assertThat(d.get("interrupted").getAsBoolean()).isFalse();
    assertThat(d.get("resume").isJsonNull()).isTrue();
    assertThat(d.get("exitCode").getAsInt()).isEqualTo(IndexCommand.SKIPPED);

    JsonObject again = parse(index(), IndexCommand.SKIPPED);
    assertThat(again.get("embedded").getAsInt()).isZero();
    assertThat(again.get("unchanged").getAsInt()).isEqualTo(2);
  }

  @Test
  void info_reports_the_collection_its_model_and_generations() {
    parse(index(), IndexCommand.SKIPPED);
    JsonObject d =
        parse(CliTest.tessera("info", "--collection", collection.toString(), "--json"), 0);
    assertThat(d.keySet())
        .containsExactly(
            "collection",
            "generation",
            "created",
            "store",
            "settings",
            "records",
            "images",
            "texts",
            "model",
            "fingerprint",
            "sizeBytes",
            "generations");
    assertThat(d.get("generation").getAsString()).isEqualTo("gen-000001");
    assertThat(d.get("records").getAsLong()).isEqualTo(2);
    assertThat(d.get("model").getAsString()).isEqualTo(modelA.toAbsolutePath().toString());
    JsonObject fp = d.getAsJsonObject("fingerprint");
    assertThat(fp.get("name").getAsString()).isEqualTo("fake/bag-of-words-A");
    assertThat(fp.get("dimension").getAsInt()).isEqualTo(FakeEncoderProvider.DIM);
    assertThat(fp.get("similarity").getAsString()).isEqualTo("cosine");
    assertThat(fp.get("canonical").getAsString()).startsWith("tessera-fp:");
    assertThat(d.get("sizeBytes").getAsLong()).isPositive();
    JsonObject g = d.getAsJsonArray("generations").get(0).getAsJsonObject();
    assertThat(g.get("live").getAsBoolean()).isTrue();
    assertThat(g.get("problem").isJsonNull()).isTrue();
  }

  @Test
  void search_reports_the_query_and_ranked_hits() {
    parse(index(), IndexCommand.SKIPPED);
    JsonObject d =
        parse(
            CliTest.tessera(
                "search",
                "--collection",
                collection.toString(),
                "--text",
                "red circle",
                "-k",
                "1",
                "--only",
                "images",
                "--json"),
            0);
    assertThat(d.keySet()).containsExactly("query", "collection", "model", "ranking", "hits");
    assertThat(d.get("ranking").getAsString()).isEqualTo("similarity"); // one modality asked for
    JsonObject q = d.getAsJsonObject("query");
    assertThat(q.get("text").getAsString()).isEqualTo("red circle");
    assertThat(q.get("image").isJsonNull()).isTrue();
    assertThat(q.get("only").getAsString()).isEqualTo("image");
    JsonObject hit = d.getAsJsonArray("hits").get(0).getAsJsonObject();
    assertThat(hit.keySet())
        .isEqualTo(
            Set.of("rank", "id", "score", "rankScore", "modality", "text", "path", "metadata"));
    assertThat(hit.get("rank").getAsInt()).isEqualTo(1);
    assertThat(hit.get("id").getAsString()).isEqualTo("image:001-red-circle.png");
    assertThat(hit.get("modality").getAsString()).isEqualTo("image");
    assertThat(hit.get("text").isJsonNull()).isTrue();
    assertThat(hit.get("path").getAsString()).endsWith("001-red-circle.png");
  }

  @Test
  void reindex_reports_what_was_re_embedded_and_whether_it_switched() throws Exception {
    parse(index(), IndexCommand.SKIPPED);
    Path modelB = FakeEncoderProvider.write(tmp.resolve("model-b"), "B", false);
    JsonObject d =
        parse(
            CliTest.tessera(
                "reindex",
                "--collection",
                collection.toString(),
                "--model",
                modelB.toString(),
                "--json"),
            0);
    assertThat(d.keySet())
        .containsExactly(
            "collection",
            "from",
            "to",
            "model",
            "fingerprint",
            "total",
            "reembedded",
            "resumed",
            "withoutSource",
            "failed",
            "switched",
            "exitCode");
    assertThat(d.get("from").getAsString()).isEqualTo("gen-000001");
    assertThat(d.get("to").getAsString()).isEqualTo("gen-000002");
    assertThat(d.get("model").getAsString()).isEqualTo("fake/bag-of-words-B");
    assertThat(d.get("total").getAsLong()).isEqualTo(2);
    assertThat(d.get("reembedded").getAsLong()).isEqualTo(2);
    assertThat(d.getAsJsonArray("failed")).isEmpty();
    assertThat(d.get("switched").getAsBoolean()).isTrue();
  }

  @Test
  void conformance_reports_every_test_of_the_kit() {
    JsonObject d = parse(CliTest.tessera("conformance", "--store", "memory", "--json"), 0);
    assertThat(d.keySet())
        .containsExactly(
            "store",
            "target",
            "settings",
            "minimumRecall",
            "conforms",
            "passed",
            "failed",
            "skipped",
            "results");
    assertThat(d.get("conforms").getAsBoolean()).isTrue();
    assertThat(d.get("failed").getAsLong()).isZero();
    JsonArray results = d.getAsJsonArray("results");
    assertThat(results.size()).isEqualTo(d.get("passed").getAsInt() + d.get("skipped").getAsInt());
    JsonObject first = results.get(0).getAsJsonObject();
    assertThat(first.keySet()).containsExactly("test", "method", "status", "message");
    assertThat(first.get("status").getAsString()).isIn("PASSED", "SKIPPED");
  }
}
