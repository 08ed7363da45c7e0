package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.tessera.api.Embedding;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.spi.Encoders;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A SigLIP-style export ({@code families/siglip}, written by {@code tools/make_siglip_fixture.py}):
 * square resize without crop, mean/std 0.5, an end-token-only Unigram tokenizer, no attention-mask
 * input, pooling inside the graphs. Opened through {@code Encoders.open} like any CLIP, it must
 * give PyTorch's numbers.
 */
class SiglipFixtureTest {
  /** The bound the issue sets for fp32 graphs. */
  static final double MAX_ABS = 1e-4;

  static Path siglip() {
    return Fixtures.layouts().resolveSibling("families").resolve("siglip");
  }

  static JsonObject expected() {
    return Fixtures.json(siglip().resolve("expected/expected.json"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"split", "combined"})
  void should_embed_texts_and_images_like_pytorch(String layout) throws IOException {
    JsonObject expected = expected();
    List<String> texts = new ArrayList<>();
    for (var t : expected.getAsJsonArray("texts")) texts.add(t.getAsString());
    try (MultiModalEncoder enc = Encoders.open(siglip().resolve(layout))) {
      assertThat(enc.fingerprint().name()).isEqualTo("tessera/siglip-fixture");
      assertThat(enc.fingerprint().dimension()).isEqualTo(16);

      List<Embedding> te = enc.embedTexts(texts);
      JsonArray textRef = expected.getAsJsonArray("text_embeds");
      double textMax = 0;
      for (int i = 0; i < texts.size(); i++) {
        textMax =
            Math.max(
                textMax,
                maxAbs(te.get(i).vector(), Fixtures.floats(textRef.get(i).getAsJsonArray())));
      }
      assertThat(textMax).as("text max abs to PyTorch (%s)", layout).isLessThanOrEqualTo(MAX_ABS);

      JsonArray imageRef = expected.getAsJsonArray("image_embeds");
      JsonArray images = expected.getAsJsonArray("images");
      double imageMax = 0;
      for (int i = 0; i < images.size(); i++) {
        Path file =
            siglip()
                .resolve("expected")
                .resolve(images.get(i).getAsJsonObject().get("file").getAsString());
        imageMax =
            Math.max(
                imageMax,
                maxAbs(
                    enc.embedImage(file).vector(),
                    Fixtures.floats(imageRef.get(i).getAsJsonArray())));
      }
      assertThat(imageMax).as("image max abs to PyTorch (%s)", layout).isLessThanOrEqualTo(MAX_ABS);
      System.out.printf(
          "siglip %s: text max abs %.3g, image max abs %.3g%n", layout, textMax, imageMax);
    }
  }

  @Test
  void should_tokenize_with_an_end_token_only_and_pad_with_it() throws IOException {
    JsonObject expected = expected();
    List<String> texts = new ArrayList<>();
    for (var t : expected.getAsJsonArray("texts")) texts.add(t.getAsString());
    try (OnnxClipEncoder enc = OnnxClipEncoder.open(siglip().resolve("split"))) {
      assertThat(enc.tokenizer().contextLength()).isEqualTo(16);
      assertThat(enc.tokenizer().endId()).isEqualTo(1);
      assertThat(enc.tokenizer().padId()).isEqualTo(1);
      ClipTokenizer.Batch batch = enc.tokenizer().encode(texts);
      JsonArray ids = expected.getAsJsonArray("token_ids");
      for (int i = 0; i < texts.size(); i++) {
        assertThat(batch.ids()[i])
            .as("ids of '%s'", texts.get(i))
            .containsExactly(Fixtures.longs(ids.get(i).getAsJsonArray()));
      }
    }
  }

  @Test
  void should_resize_to_the_square_without_crop_and_normalize_with_one_half() throws IOException {
    JsonObject expected = expected();
    try (OnnxClipEncoder enc = OnnxClipEncoder.open(siglip().resolve("split"))) {
      PreprocessorConfig pre = enc.preprocessor().config();
      assertThat(pre.doCenterCrop()).isFalse();
      assertThat(pre.mean()).containsExactly(0.5f, 0.5f, 0.5f);
      for (var e : expected.getAsJsonArray("images")) {
        JsonObject img = e.getAsJsonObject();
        Path dir = siglip().resolve("expected");
        ImagePreprocessor.Tensor t =
            enc.preprocessor().preprocess(dir.resolve(img.get("file").getAsString()));
        assertThat(t.height()).isEqualTo(32);
        assertThat(t.width()).isEqualTo(32);
        float[] ref = f32(dir.resolve(img.get("pixel_values").getAsString()));
        assertThat(maxAbs(t.data(), ref)).as("pixel tensor of %s", img.get("file")).isZero();
      }
    }
  }

  @Test
  void should_have_its_own_fingerprint() throws IOException {
    try (OnnxClipEncoder split = OnnxClipEncoder.open(siglip().resolve("split"));
        OnnxClipEncoder again = OnnxClipEncoder.open(siglip().resolve("split"));
        OnnxClipEncoder clip = OnnxClipEncoder.open(Fixtures.layouts().resolve("split"))) {
      ModelFingerprint f = split.fingerprint();
      assertThat(f).isEqualTo(again.fingerprint());
      assertThat(f.digest()).isNotEqualTo(clip.fingerprint().digest());
      assertThat(f).isNotEqualTo(clip.fingerprint());
    }
  }

  static double maxAbs(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
    return m;
  }

  static float[] f32(Path file) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bb.remaining() / 4];
    bb.asFloatBuffer().get(out);
    return out;
  }
}
