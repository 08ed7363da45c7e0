package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fingerprint hashes what tokenizer.json means: layout does not count, every value does. */
class FingerprintJsonTest {
  @TempDir Path tmp;
  private Path dir;
  private Path tokenizer;
  private String original;
  private String originalDigest;

  @BeforeEach
  void copyTheSplitFixture() throws IOException {
    dir = tmp.resolve("m");
    Fixtures.copyTree(Fixtures.layouts().resolve("split"), dir);
    Files.delete(dir.resolve("SHA256SUMS"));
    tokenizer = dir.resolve("tokenizer.json");
    original = Files.readString(tokenizer);
    originalDigest = digest();
  }

  private String digest() throws IOException {
    try (OnnxClipEncoder e = OnnxClipEncoder.open(dir)) {
      return e.fingerprint().digest();
    }
  }

  private String digestAfter(UnaryOperator<String> edit) throws IOException {
    Files.writeString(tokenizer, edit.apply(original));
    return digest();
  }

  @Test
  void should_keep_the_fingerprint_when_tokenizer_json_is_reindented_or_its_keys_reordered()
      throws IOException {
    String pretty =
        digestAfter(
            s ->
                new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeNulls()
                    .disableHtmlEscaping()
                    .create()
                    .toJson(JsonParser.parseString(s)));
    assertThat(pretty).as("pretty-printed").isEqualTo(originalDigest);
    String crlf = digestAfter(s -> s.replace(", ", ",\r\n\t").replace(": ", " :  "));
    assertThat(crlf).as("other whitespace").isEqualTo(originalDigest);
    String reordered =
        digestAfter(
            s -> {
              JsonObject o = JsonParser.parseString(s).getAsJsonObject();
              List<Map.Entry<String, com.google.gson.JsonElement>> entries =
                  new ArrayList<>(o.entrySet());
              JsonObject r = new JsonObject();
              for (int i = entries.size() - 1; i >= 0; i--)
                r.add(entries.get(i).getKey(), entries.get(i).getValue());
              return r.toString();
            });
    assertThat(reordered).as("object keys in reverse order").isEqualTo(originalDigest);
  }

  @Test
  void should_change_the_fingerprint_when_any_value_of_tokenizer_json_changes() throws IOException {
    assertThat(original).contains("\"fuse_unk\": false", "\"content\": \" \"");
    List<UnaryOperator<String>> edits =
        List.of(
            s -> s.replace("\"fuse_unk\": false", "\"fuse_unk\": true"),
            s ->
                s.replace(
                    "\"trim_offsets\": false, \"add_prefix_space\": false}",
                    "\"trim_offsets\": true, \"add_prefix_space\": false}"),
            // merge ranks are an array's order
            s -> s.replace("\"merges\": [\"p h\", \"ph o\", ", "\"merges\": [\"ph o\", \"p h\", "),
            s -> s.replace("\"content\": \" \"", "\"content\": \"_\""));
    List<String> digests = new ArrayList<>();
    for (UnaryOperator<String> edit : edits) {
      assertThat(edit.apply(original)).isNotEqualTo(original);
      digests.add(digestAfter(edit));
    }
    assertThat(digests).doesNotContain(originalDigest).doesNotHaveDuplicates();
  }

  @Test
  void should_write_one_canonical_text_keeping_values_exact() {
    String a =
        "{ \"b\": [3, 1.50, -0, 1e2], \"a\": {\"y\": null, \"x\": \"t\\u00e9\\n"
            + "\\\"q\"}, \"c\": true }";
    assertThat(CanonicalJson.of(JsonParser.parseString(a)))
        .isEqualTo(
            "{\"a\":{\"x\":\"t\u00e9\\u000a\\\"q\",\"y\":null},\"b\":[3,1.50,-0,1e2],\"c\":true}");
    assertThat(CanonicalJson.of(JsonParser.parseString("[1.0]")))
        .as("a number's text is kept, only layout is ignored")
        .isNotEqualTo(CanonicalJson.of(JsonParser.parseString("[1]")));
    assertThat(CanonicalJson.of(JsonParser.parseString("[1, 2]")))
        .as("arrays keep their order")
        .isNotEqualTo(CanonicalJson.of(JsonParser.parseString("[2, 1]")));
  }
}
