package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.tessera.api.Embedding;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.spi.Encoders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Multilingual-CLIP-shaped export ({@code families/multilingual}, written by {@code
 * tools/make_multilingual_fixture.py}): an XLM-R-style SentencePiece Unigram {@code tokenizer.json}
 * ({@code <s> $A </s>}, padding with {@code <pad>} named only by {@code tokenizer_config.json}), a
 * mean-pooled text tower with its own projection, a CLIP vision tower. It must give PyTorch's token
 * ids and embeddings.
 */
class MultilingualFixtureTest {
  static Path dir() {
    return Fixtures.layouts().resolveSibling("families").resolve("multilingual");
  }

  @Test
  void should_tokenize_like_xlm_r_and_pad_with_its_pad_token() throws IOException {
    JsonObject expected = Fixtures.json(dir().resolve("expected/expected.json"));
    List<String> texts = texts(expected);
    try (OnnxClipEncoder enc = OnnxClipEncoder.open(dir().resolve("model"))) {
      assertThat(enc.tokenizer().contextLength()).isEqualTo(16); // tokenizer_config.json only
      assertThat(enc.tokenizer().startId()).isZero();
      assertThat(enc.tokenizer().endId()).isEqualTo(2);
      assertThat(enc.tokenizer().padId()).isEqualTo(1);
      ClipTokenizer.Batch batch = enc.tokenizer().encode(texts);
      JsonArray ids = expected.getAsJsonArray("token_ids");
      JsonArray masks = expected.getAsJsonArray("attention_mask");
      for (int i = 0; i < texts.size(); i++) {
        assertThat(batch.ids()[i])
            .as("ids of '%s'", texts.get(i))
            .containsExactly(Fixtures.longs(ids.get(i).getAsJsonArray()));
        assertThat(batch.attentionMask()[i])
            .as("mask of '%s'", texts.get(i))
            .containsExactly(Fixtures.longs(masks.get(i).getAsJsonArray()));
      }
    }
  }

  @Test
  void should_embed_every_language_and_the_image_like_pytorch() {
    JsonObject expected = Fixtures.json(dir().resolve("expected/expected.json"));
    List<String> texts = texts(expected);
    try (MultiModalEncoder enc = Encoders.open(dir().resolve("model"))) {
      assertThat(enc.fingerprint().name()).isEqualTo("tessera/mclip-fixture");
      List<Embedding> te = enc.embedTexts(texts);
      JsonArray ref = expected.getAsJsonArray("text_embeds");
      double textMax = 0;
      for (int i = 0; i < texts.size(); i++)
        textMax =
            Math.max(
                textMax,
                SiglipFixtureTest.maxAbs(
                    te.get(i).vector(), Fixtures.floats(ref.get(i).getAsJsonArray())));
      double imageMax =
          SiglipFixtureTest.maxAbs(
              enc.embedImage(dir().resolve("expected/image.png")).vector(),
              Fixtures.floats(expected.getAsJsonArray("image_embeds").get(0).getAsJsonArray()));
      System.out.printf("multilingual: text max abs %.3g, image max abs %.3g%n", textMax, imageMax);
      assertThat(textMax).isLessThanOrEqualTo(SiglipFixtureTest.MAX_ABS);
      assertThat(imageMax).isLessThanOrEqualTo(SiglipFixtureTest.MAX_ABS);
    }
  }

  @Test
  void should_have_its_own_fingerprint() throws IOException {
    try (OnnxClipEncoder m = OnnxClipEncoder.open(dir().resolve("model"));
        OnnxClipEncoder clip = OnnxClipEncoder.open(Fixtures.layouts().resolve("split"))) {
      assertThat(m.fingerprint().digest()).isNotEqualTo(clip.fingerprint().digest());
    }
  }

  private static List<String> texts(JsonObject expected) {
    List<String> texts = new ArrayList<>();
    for (var t : expected.getAsJsonArray("texts")) texts.add(t.getAsString());
    return texts;
  }
}
