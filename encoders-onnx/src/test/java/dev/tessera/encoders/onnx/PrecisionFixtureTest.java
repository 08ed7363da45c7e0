package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.spi.Encoders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny CLIP converted to fp16 and to dynamic int8 ({@code families/tiny-clip-fp16}, {@code
 * families/tiny-clip-int8}, written by {@code tools/make_precision_fixtures.py} from {@code
 * models/tiny-clip}), opened through {@code Encoders.open} and held to the stated bounds against
 * the fp32 PyTorch references in {@code models/tiny-clip-reference} (L2-normalized embeddings, max
 * abs over every element).
 */
class PrecisionFixtureTest {
  /** fp16: measured 3.0e-4 (texts) and 2.6e-4 (images); the bound leaves 3x head room. */
  static final double FP16_MAX_ABS = 1e-3;

  /** int8: measured 9.5e-3 (texts) and 8.8e-3 (images), in batches and one by one. */
  static final double INT8_MAX_ABS = 2e-2;

  /** fp32 graphs must meet the bound on the same images, so the rest is precision. */
  static final double FP32_MAX_ABS = 1e-4;

  static Path variant(String name) {
    return Fixtures.layouts().resolveSibling("families").resolve("tiny-clip-" + name);
  }

  static Stream<Arguments> bounds() {
    return Stream.of(
        Arguments.of("fp32", FP32_MAX_ABS),
        Arguments.of("fp16", FP16_MAX_ABS),
        Arguments.of("int8", INT8_MAX_ABS));
  }

  @ParameterizedTest
  @MethodSource("bounds")
  void should_match_the_fp32_pytorch_references_within_the_stated_bound(String name, double bound)
      throws IOException {
    Path models = Fixtures.repoModels();
    Path dir = name.equals("fp32") ? models.resolve("tiny-clip") : variant(name);
    Path ref = models.resolve("tiny-clip-reference");
    JsonObject reference = Fixtures.json(ref.resolve("reference.json"));
    float[] textRef = SiglipFixtureTest.f32(ref.resolve("text_embeds_normalized.f32"));
    float[] imageRef = SiglipFixtureTest.f32(ref.resolve("image_embeds_normalized.f32"));
    int dim = 64;

    List<String> texts = new ArrayList<>();
    for (JsonElement t : reference.getAsJsonArray("texts"))
      texts.add(t.getAsJsonObject().get("text").getAsString());
    // Images whose decode is exact (PNG, GIF, BMP): JPEG and lossy WebP decoders differ from
    // Pillow's by a few levels, which would hide the precision being measured.
    List<Path> images = new ArrayList<>();
    List<Integer> rows = new ArrayList<>();
    for (JsonElement e : reference.getAsJsonArray("images")) {
      String file = e.getAsJsonObject().get("file").getAsString();
      if (file.endsWith(".jpg") || file.endsWith(".webp")) continue;
      images.add(ref.resolve(file));
      rows.add(e.getAsJsonObject().get("index").getAsInt());
    }
    assertThat(images).hasSize(13);

    double textMax = 0;
    double imageMax = 0;
    // In batches and one by one: a dynamically quantized graph scales activations per batch.
    for (String batch : List.of("32", "1")) {
      try (MultiModalEncoder enc = Encoders.open(dir, Map.of("batch_size", batch))) {
        List<Embedding> te = enc.embedTexts(texts);
        for (int i = 0; i < texts.size(); i++)
          textMax = Math.max(textMax, maxAbs(te.get(i).vector(), textRef, i * dim));
        List<EmbeddingResult> ie = enc.embedImages(images);
        for (int k = 0; k < images.size(); k++) {
          assertThat(ie.get(k).isSuccess()).as("%s embedded", images.get(k)).isTrue();
          imageMax =
              Math.max(
                  imageMax, maxAbs(ie.get(k).embedding().vector(), imageRef, rows.get(k) * dim));
        }
      }
    }
    System.out.printf(
        "tiny-clip %s: max abs to fp32 PyTorch: texts %.3g, images %.3g (bound %.0e)%n",
        name, textMax, imageMax, bound);
    assertThat(textMax).as("%s text max abs", name).isLessThanOrEqualTo(bound);
    assertThat(imageMax).as("%s image max abs", name).isLessThanOrEqualTo(bound);
  }

  @Test
  void should_fingerprint_each_precision_distinctly_though_config_names_them_alike()
      throws IOException {
    try (OnnxClipEncoder fp32 = OnnxClipEncoder.open(Fixtures.repoModels().resolve("tiny-clip"));
        OnnxClipEncoder fp16 = OnnxClipEncoder.open(variant("fp16"));
        OnnxClipEncoder int8 = OnnxClipEncoder.open(variant("int8"));
        OnnxClipEncoder fp16Again = OnnxClipEncoder.open(variant("fp16"))) {
      ModelFingerprint a = fp32.fingerprint();
      ModelFingerprint b = fp16.fingerprint();
      ModelFingerprint c = int8.fingerprint();
      assertThat(List.of(a.name(), b.name(), c.name())).containsOnly("tessera/tiny-clip");
      assertThat(List.of(a.digest(), b.digest(), c.digest())).doesNotHaveDuplicates();
      assertThat(b).isEqualTo(fp16Again.fingerprint());
      assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"fp16", "int8"})
  void should_have_been_converted_from_the_committed_fp32_graphs(String name) throws IOException {
    // The bounds compare with models/tiny-clip-reference: a retrained tiny CLIP needs the
    // fixtures made again (tools/make_precision_fixtures.py).
    JsonObject sources =
        Fixtures.json(variant(name).resolve("conversion.json")).getAsJsonObject("source_sha256");
    for (String graph : List.of("text_model.onnx", "vision_model.onnx")) {
      assertThat(sources.get(graph).getAsString())
          .as("%s was converted from this models/tiny-clip/%s", name, graph)
          .isEqualTo(FileDigests.sha256(Fixtures.repoModels().resolve("tiny-clip").resolve(graph)));
    }
  }

  private static double maxAbs(float[] actual, float[] ref, int offset) {
    double m = 0;
    for (int j = 0; j < actual.length; j++)
      m = Math.max(m, Math.abs((double) actual[j] - ref[offset + j]));
    return m;
  }
}
