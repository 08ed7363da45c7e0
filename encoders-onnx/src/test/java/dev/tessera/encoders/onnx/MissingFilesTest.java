package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.tessera.api.Embedding;
import dev.tessera.api.UnknownProviderException;
import dev.tessera.api.spi.Encoders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model directories with a file missing: each fails at open saying which file to add, or copes. */
class MissingFilesTest {
  @TempDir Path tmp;

  /**
   * The split fixture (its graphs take any sequence length) without SHA256SUMS and the named files.
   */
  private Path splitWithout(String... names) throws IOException {
    Path copy = tmp.resolve("m");
    Fixtures.copyTree(Fixtures.layouts().resolve("split"), copy);
    Files.delete(copy.resolve("SHA256SUMS"));
    for (String n : names) Files.delete(copy.resolve(n));
    return copy;
  }

  @Test
  void should_refuse_at_open_a_dynamic_sequence_graph_when_nothing_gives_the_context_length()
      throws IOException {
    Path dir = splitWithout("config.json");
    // Before: it opened with CLIP's 77 and the first text failed inside ONNX Runtime.
    assertThatThrownBy(() -> OnnxClipEncoder.open(dir))
        .isInstanceOf(ModelLayout.LayoutException.class)
        .hasMessageContaining("context length")
        .hasMessageContaining("text_model.onnx takes token sequences of any length")
        .hasMessageContaining("Add the model's config.json")
        .hasMessageContaining("text_config.max_position_embeddings");
  }

  @Test
  void should_take_the_context_length_from_the_tokenizer_when_config_json_is_missing()
      throws IOException {
    Path dir = splitWithout("config.json");
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 16}");
    assertEmbedsLikePytorch(dir);
    // A tokenizer.json that truncates says it as well (Hugging Face's "no limit" value is ignored).
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 1e30}");
    Path tok = dir.resolve("tokenizer.json");
    Files.writeString(
        tok,
        Files.readString(tok)
            .replace(
                "\"truncation\": null",
                "\"truncation\": {\"direction\": \"Right\", \"max_length\": 16, \"strategy\":"
                    + " \"LongestFirst\", \"stride\": 0}"));
    assertEmbedsLikePytorch(dir);
  }

  @Test
  void should_say_through_encoders_open_which_graph_is_missing() throws IOException {
    Path dir = splitWithout("onnx/vision_model.onnx");
    assertThatThrownBy(() -> Encoders.open(dir))
        .isInstanceOf(UnknownProviderException.class)
        .hasMessageContaining("No encoder on the class path recognises the model in")
        .hasMessageContaining("onnx: The model directory")
        .hasMessageContaining(
            "Found: config.json, expected.json, onnx/, preprocessor_config.json, tokenizer.json,"
                + " onnx/text_model.onnx.")
        .hasMessageContaining("Expected: text_model.onnx + vision_model.onnx");
    assertThat(new OnnxEncoderProvider().whyNot(Fixtures.layouts().resolve("split"))).isEmpty();
  }

  private static void assertEmbedsLikePytorch(Path dir) throws IOException {
    JsonObject expected =
        Fixtures.json(Fixtures.layouts().resolve("split").resolve("expected.json"));
    List<String> texts =
        expected.getAsJsonArray("texts").asList().stream().map(e -> e.getAsString()).toList();
    JsonArray refs = expected.getAsJsonArray("text_embeds");
    try (OnnxClipEncoder enc = OnnxClipEncoder.open(dir)) {
      assertThat(enc.tokenizer().contextLength()).isEqualTo(16);
      List<Embedding> got = enc.embedTexts(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(
                Fixtures.cosine(got.get(i).vector(), Fixtures.floats(refs.get(i).getAsJsonArray())))
            .as("cosine to PyTorch for '%s'", texts.get(i))
            .isGreaterThanOrEqualTo(0.999);
      }
    }
  }
}
