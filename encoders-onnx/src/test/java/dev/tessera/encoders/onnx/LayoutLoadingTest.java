package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.Encoders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The three layouts hold the same tiny random-weight CLIP; each must give PyTorch's numbers. */
class LayoutLoadingTest {

  @ParameterizedTest
  @ValueSource(strings = {"split", "combined", "openclip"})
  void should_embed_texts_and_images_like_pytorch_in_every_layout(String layoutName)
      throws IOException {
    Path dir = Fixtures.layouts().resolve(layoutName);
    JsonObject expected = Fixtures.json(dir.resolve("expected.json"));
    try (OnnxClipEncoder enc = OnnxClipEncoder.open(dir)) {
      assertThat(enc.layout().kind().name())
          .isEqualTo(
              switch (layoutName) {
                case "split" -> "SPLIT";
                case "combined" -> "COMBINED";
                default -> "OPEN_CLIP";
              });
      assertThat(enc.fingerprint().dimension()).isEqualTo(16);
      assertThat(enc.fingerprint().similarity()).isEqualTo(Similarity.COSINE);
      assertThat(enc.fingerprint().normalized()).isTrue();
      assertThat(enc.fingerprint().name())
          .isEqualTo(layoutName.equals("openclip") ? "openclip" : "tessera/layout-fixture");

      List<String> texts = new ArrayList<>();
      for (var t : expected.getAsJsonArray("texts")) texts.add(t.getAsString());
      ClipTokenizer.Batch tokens = enc.tokenizer().encode(texts);
      JsonArray ids = expected.getAsJsonArray("token_ids");
      JsonArray masks = expected.getAsJsonArray("attention_mask");
      for (int i = 0; i < texts.size(); i++) {
        assertThat(tokens.ids()[i])
            .as("token ids of '%s'", texts.get(i))
            .containsExactly(Fixtures.longs(ids.get(i).getAsJsonArray()));
        assertThat(tokens.attentionMask()[i])
            .as("mask of '%s'", texts.get(i))
            .containsExactly(Fixtures.longs(masks.get(i).getAsJsonArray()));
      }

      List<Embedding> embeddings = enc.embedTexts(texts);
      JsonArray textEmbeds = expected.getAsJsonArray("text_embeds");
      for (int i = 0; i < texts.size(); i++) {
        double cos =
            Fixtures.cosine(
                embeddings.get(i).vector(), Fixtures.floats(textEmbeds.get(i).getAsJsonArray()));
        assertThat(cos)
            .as("cosine to PyTorch for '%s'", texts.get(i))
            .isGreaterThanOrEqualTo(0.999);
      }

      Path image = Fixtures.layouts().resolve("image.png");
      Embedding img = enc.embedImage(image);
      double cos =
          Fixtures.cosine(
              img.vector(),
              Fixtures.floats(expected.getAsJsonArray("image_embeds").get(0).getAsJsonArray()));
      assertThat(cos).as("image cosine to PyTorch").isGreaterThanOrEqualTo(0.999);
      assertThat(norm(img.vector())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void should_give_every_layout_its_own_fingerprint_and_the_same_one_on_reopen()
      throws IOException {
    try (OnnxClipEncoder a = OnnxClipEncoder.open(Fixtures.layouts().resolve("split"));
        OnnxClipEncoder b = OnnxClipEncoder.open(Fixtures.layouts().resolve("split"));
        OnnxClipEncoder c = OnnxClipEncoder.open(Fixtures.layouts().resolve("combined"))) {
      assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
      assertThat(a.fingerprint()).isNotEqualTo(c.fingerprint());
    }
  }

  @Test
  void should_change_the_fingerprint_when_the_preprocessing_changes(@TempDir Path tmp)
      throws IOException {
    Path copy = tmp.resolve("model");
    Fixtures.copyTree(Fixtures.layouts().resolve("split"), copy);
    Files.delete(copy.resolve("SHA256SUMS"));
    String before;
    try (OnnxClipEncoder e = OnnxClipEncoder.open(copy)) {
      before = e.fingerprint().digest();
    }
    Path pre = copy.resolve("preprocessor_config.json");
    Files.writeString(
        pre, Files.readString(pre).replace("\"shortest_edge\": 40", "\"shortest_edge\": 48"));
    try (OnnxClipEncoder e = OnnxClipEncoder.open(copy)) {
      assertThat(e.fingerprint().digest()).isNotEqualTo(before);
    }
  }

  @Test
  void should_be_found_through_the_service_loader() {
    assertThat(Encoders.provider("onnx")).isInstanceOf(OnnxEncoderProvider.class);
    try (MultiModalEncoder enc =
        Encoders.open(Fixtures.layouts().resolve("combined"), Map.of("batch_size", "2"))) {
      assertThat(enc.embedTexts(List.of("a", "b", "c"))).hasSize(3);
    }
  }

  @Test
  void should_refuse_a_directory_it_does_not_understand_listing_what_it_found(@TempDir Path tmp)
      throws IOException {
    Files.writeString(tmp.resolve("weights.bin"), "x");
    Files.writeString(tmp.resolve("tokenizer.json"), "{}");
    assertThat(new OnnxEncoderProvider().canOpen(tmp)).isFalse();
    assertThatThrownBy(() -> OnnxClipEncoder.open(tmp))
        .isInstanceOf(ModelLayout.LayoutException.class)
        .hasMessageContaining("Found: tokenizer.json, weights.bin")
        .hasMessageContaining("Expected: text_model.onnx + vision_model.onnx");
  }

  @Test
  void should_refuse_a_model_without_tokenizer(@TempDir Path tmp) throws IOException {
    Path copy = tmp.resolve("m");
    Fixtures.copyTree(Fixtures.layouts().resolve("combined"), copy);
    Files.delete(copy.resolve("tokenizer.json"));
    assertThatThrownBy(() -> OnnxClipEncoder.open(copy, new EncoderOptions(8, 1, 1000, false)))
        .isInstanceOf(ModelLayout.LayoutException.class)
        .hasMessageContaining("has no tokenizer.json");
  }

  @Test
  void should_open_a_pinned_model_given_through_a_path_with_dot_dot(@TempDir Path tmp)
      throws IOException {
    Path copy = tmp.resolve("m");
    Fixtures.copyTree(Fixtures.layouts().resolve("split"), copy);
    Files.createDirectories(tmp.resolve("elsewhere"));
    try (OnnxClipEncoder e = OnnxClipEncoder.open(tmp.resolve("elsewhere/../m"))) {
      assertThat(e.fingerprint().dimension()).isEqualTo(16);
    }
  }

  @Test
  void should_refuse_a_tampered_model_before_loading_it(@TempDir Path tmp) throws IOException {
    Path copy = tmp.resolve("m");
    Fixtures.copyTree(Fixtures.layouts().resolve("split"), copy);
    Path graph = copy.resolve("onnx/vision_model.onnx");
    byte[] b = Files.readAllBytes(graph);
    b[b.length - 100] ^= 0x01; // one bit of one weight
    Files.write(graph, b);
    assertThatThrownBy(() -> OnnxClipEncoder.open(copy))
        .isInstanceOf(TamperedModelException.class)
        .hasMessageContaining("does not match its pinned checksums")
        .hasMessageContaining("onnx/vision_model.onnx: expected sha256 81e2632b334f")
        .hasMessageNotContaining("text_model.onnx:");
    // The same file loads when verification is switched off on purpose.
    try (OnnxClipEncoder e =
        OnnxClipEncoder.open(copy, EncoderOptions.parse(Map.of("verify_checksums", "false")))) {
      assertThat(e.fingerprint().dimension()).isEqualTo(16);
    }
  }

  /**
   * Why the combined layout feeds a blank image with every text batch: ONNX Runtime wants every
   * graph input, whatever outputs are requested. If this ever stops failing, the dummy can go.
   */
  @Test
  void onnx_runtime_needs_every_input_of_a_combined_graph_even_for_one_output() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions quiet = new OrtSession.SessionOptions()) {
      // ONNX Runtime would also print the expected failure to stderr, bypassing the test's log.
      quiet.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
      try (OrtSession s =
              env.createSession(
                  Fixtures.layouts().resolve("combined/model.onnx").toString(), quiet);
          OnnxTensor ids = OnnxTensor.createTensor(env, new long[][] {{549, 550}});
          OnnxTensor mask = OnnxTensor.createTensor(env, new long[][] {{1, 1}})) {
        assertThatThrownBy(
                () ->
                    s.run(Map.of("input_ids", ids, "attention_mask", mask), Set.of("text_embeds")))
            .isInstanceOf(OrtException.class)
            .hasMessageContaining("pixel_values");
      }
    }
  }

  @Test
  void should_reject_unknown_options_naming_the_known_ones() {
    assertThatThrownBy(() -> EncoderOptions.parse(Map.of("threads", "4")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'threads'")
        .hasMessageContaining("intra_op_threads");
    assertThatThrownBy(() -> EncoderOptions.parse(Map.of("batch_size", "zero")))
        .hasMessageContaining("batch_size='zero' is not a whole number");
  }

  @Test
  void should_truncate_overlong_text_keeping_the_end_token_and_allow_empty_text()
      throws IOException {
    try (OnnxClipEncoder enc = OnnxClipEncoder.open(Fixtures.layouts().resolve("split"))) {
      ClipTokenizer.Batch b = enc.tokenizer().encode(List.of("cat ".repeat(500), ""));
      long[] row = b.ids()[0];
      assertThat(row).hasSize(16);
      assertThat(row[0]).isEqualTo(enc.tokenizer().startId());
      assertThat(row[15]).isEqualTo(enc.tokenizer().endId());
      assertThat(b.attentionMask()[0]).containsOnly(1L);
      assertThat(b.ids()[1][0]).isEqualTo(enc.tokenizer().startId());
      assertThat(b.ids()[1][1]).isEqualTo(enc.tokenizer().endId());
      assertThat(enc.embedTexts(List.of("cat ".repeat(500), ""))).hasSize(2);
    }
  }

  @Test
  void should_embed_images_of_a_batch_and_report_the_bad_ones_by_name(@TempDir Path tmp)
      throws IOException {
    Path good = Fixtures.layouts().resolve("image.png");
    Path empty = Files.createFile(tmp.resolve("empty.jpg"));
    Path text = Files.writeString(tmp.resolve("notes.png"), "this is not an image at all");
    Path missing = tmp.resolve("missing.png");
    try (OnnxClipEncoder enc =
        OnnxClipEncoder.open(
            Fixtures.layouts().resolve("combined"),
            EncoderOptions.parse(Map.of("batch_size", "3")))) {
      List<EmbeddingResult> r = enc.embedImages(List.of(good, empty, text, good, missing));
      assertThat(r)
          .extracting(EmbeddingResult::isSuccess)
          .containsExactly(true, false, false, true, false);
      assertThat(r.get(1).error())
          .hasMessageContaining("empty.jpg")
          .hasMessageContaining("is empty");
      assertThat(r.get(2).error())
          .hasMessageContaining("notes.png")
          .hasMessageContaining("not an image");
      assertThat(r.get(4).error())
          .hasMessageContaining("missing.png")
          .hasMessageContaining("does not exist");
      assertThat(r.get(0).embedding()).isEqualTo(r.get(3).embedding());
      assertThat(r.get(0).label()).isEqualTo(good.toString());
      assertThatThrownBy(() -> enc.embedImage(empty)).hasMessageContaining("empty.jpg");
    }
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    return Math.sqrt(s);
  }
}
