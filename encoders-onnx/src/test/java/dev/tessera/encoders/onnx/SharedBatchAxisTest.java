package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A combined {@code model.onnx} whose text and image inputs share one dynamic batch axis (a plain
 * {@code torch.onnx.export} with one {@code batch} axis): ONNX Runtime wants as many images as
 * texts in every call. Fixture {@code layouts/combined_shared_batch}, with PyTorch's embeddings.
 */
class SharedBatchAxisTest {
  private static final Path DIR = Fixtures.layouts().resolve("combined_shared_batch");
  private static final double TOLERANCE = 1e-5;

  @Test
  void should_embed_text_batches_of_every_size_like_pytorch() throws IOException {
    JsonObject expected = Fixtures.json(DIR.resolve("expected.json"));
    List<String> texts =
        expected.getAsJsonArray("texts").asList().stream().map(e -> e.getAsString()).toList();
    JsonArray refs = expected.getAsJsonArray("text_embeds");
    for (int batch : new int[] {1, 2, 3, 32}) {
      try (OnnxClipEncoder enc =
          OnnxClipEncoder.open(
              DIR, EncoderOptions.parse(Map.of("batch_size", String.valueOf(batch))))) {
        List<Embedding> got = enc.embedTexts(texts);
        for (int i = 0; i < texts.size(); i++) {
          assertThat(maxAbsDiff(got.get(i).vector(), Fixtures.floats(refs.get(i).getAsJsonArray())))
              .as("batch_size %d, text '%s' against PyTorch", batch, texts.get(i))
              .isLessThanOrEqualTo(TOLERANCE);
        }
      }
    }
  }

  @Test
  void should_embed_image_batches_like_pytorch() throws IOException {
    JsonObject expected = Fixtures.json(DIR.resolve("expected.json"));
    float[] ref = Fixtures.floats(expected.getAsJsonArray("image_embeds").get(0).getAsJsonArray());
    Path image = Fixtures.layouts().resolve("image.png");
    try (OnnxClipEncoder enc =
        OnnxClipEncoder.open(DIR, EncoderOptions.parse(Map.of("batch_size", "3")))) {
      List<EmbeddingResult> got = enc.embedImages(List.of(image, image, image, image));
      assertThat(got).allMatch(EmbeddingResult::isSuccess);
      for (EmbeddingResult r : got) {
        assertThat(maxAbsDiff(r.embedding().vector(), ref)).isLessThanOrEqualTo(TOLERANCE);
      }
    }
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }
}
