package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trained tiny CLIP ({@code models/tiny-clip}) against what Python computed for it ({@code
 * models/tiny-clip-reference}, written by {@code tools/tiny-clip/make_tiny_clip.py}): preprocessing
 * tensors, token ids, embeddings, and retrieval through a real collection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TinyClipReferenceTest {
  /** Largest difference allowed between a Java and a PIL tensor element, after normalization. */
  static final double MAX_TENSOR_DIFF = 0.03;

  /** Smallest cosine allowed between a Java and a Python embedding. */
  static final double MIN_COSINE = 0.999;

  private Path model;
  private Path ref;
  private JsonObject reference;
  private OnnxClipEncoder encoder;

  @BeforeAll
  void open() throws IOException {
    Path models = Fixtures.repoModels();
    model = models.resolve("tiny-clip");
    ref = models.resolve("tiny-clip-reference");
    // The model and its references are committed: their absence is a broken checkout, not a reason
    // to skip.
    Assertions.assertTrue(
        Files.isRegularFile(ref.resolve("reference.json")) && Files.isDirectory(model),
        "models/tiny-clip and models/tiny-clip-reference are missing from " + models);
    reference = Fixtures.json(ref.resolve("reference.json"));
    encoder = OnnxClipEncoder.open(model); // verifies models/tiny-clip/SHA256SUMS first
  }

  @AfterAll
  void close() {
    if (encoder != null) encoder.close();
  }

  @Test
  void should_describe_the_model_from_its_directory() {
    assertThat(encoder.layout().kind()).isEqualTo(ModelLayout.Kind.SPLIT);
    assertThat(encoder.fingerprint().name()).isEqualTo(reference.get("model").getAsString());
    assertThat(encoder.fingerprint().dimension()).isEqualTo(reference.get("dim").getAsInt());
    assertThat(encoder.fingerprint().normalized()).isTrue();
    assertThat(encoder.tokenizer().contextLength())
        .isEqualTo(reference.get("context_length").getAsInt());
  }

  @Test
  void should_preprocess_every_reference_image_like_pil() throws IOException {
    double worst = 0;
    StringBuilder report = new StringBuilder();
    for (JsonElement e : reference.getAsJsonArray("images")) {
      JsonObject img = e.getAsJsonObject();
      Path file = ref.resolve(img.get("file").getAsString());
      float[] expected =
          RetrievalSupport.readF32(ref.resolve(img.get("pixel_values").getAsString()));
      ImagePreprocessor.Tensor actual = encoder.preprocessor().preprocess(file);
      double diff = RetrievalSupport.maxAbsDiff(actual.data(), expected);
      report.append(
          String.format(Locale.ROOT, "%n  %-32s max |diff| %.2e", file.getFileName(), diff));
      assertThat(diff)
          .as(
              "max |Java - PIL| for %s (%s)",
              file.getFileName(), img.get("description").getAsString())
          .isLessThanOrEqualTo(MAX_TENSOR_DIFF);
      worst = Math.max(worst, diff);
    }
    System.out.printf(
        Locale.ROOT,
        "Preprocessing vs PIL, %d images, worst max |diff| %.2e:%s%n",
        reference.getAsJsonArray("images").size(),
        worst,
        report);
  }

  @Test
  void should_embed_the_reference_images_like_python() throws IOException {
    List<Path> files = new ArrayList<>();
    for (JsonElement e : reference.getAsJsonArray("images"))
      files.add(ref.resolve(e.getAsJsonObject().get("file").getAsString()));
    float[] expected = RetrievalSupport.readF32(ref.resolve("image_embeds_normalized.f32"));
    int dim = encoder.fingerprint().dimension();
    List<EmbeddingResult> results = encoder.embedImages(files);
    double worst = 1;
    for (int i = 0; i < files.size(); i++) {
      float[] row = java.util.Arrays.copyOfRange(expected, i * dim, (i + 1) * dim);
      double cos = Fixtures.cosine(results.get(i).orThrow().vector(), row);
      assertThat(cos)
          .as("cosine to Python for %s", files.get(i).getFileName())
          .isGreaterThanOrEqualTo(MIN_COSINE);
      worst = Math.min(worst, cos);
    }
    System.out.printf(
        Locale.ROOT,
        "Image embeddings vs Python: %d images, lowest cosine %.6f%n",
        files.size(),
        worst);
  }

  @Test
  void should_tokenize_and_embed_the_reference_texts_like_python() throws IOException {
    List<String> texts = new ArrayList<>();
    List<long[]> ids = new ArrayList<>();
    List<long[]> masks = new ArrayList<>();
    for (JsonElement e : reference.getAsJsonArray("texts")) {
      JsonObject t = e.getAsJsonObject();
      texts.add(t.get("text").getAsString());
      ids.add(Fixtures.longs(t.getAsJsonArray("input_ids")));
      masks.add(Fixtures.longs(t.getAsJsonArray("attention_mask")));
    }
    ClipTokenizer.Batch batch = encoder.tokenizer().encode(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(batch.ids()[i]).as("token ids of '%s'", texts.get(i)).containsExactly(ids.get(i));
      assertThat(batch.attentionMask()[i])
          .as("attention mask of '%s'", texts.get(i))
          .containsExactly(masks.get(i));
    }
    float[] expected = RetrievalSupport.readF32(ref.resolve("text_embeds_normalized.f32"));
    int dim = encoder.fingerprint().dimension();
    List<Embedding> actual = encoder.embedTexts(texts);
    double worst = 1;
    for (int i = 0; i < texts.size(); i++) {
      double cos =
          Fixtures.cosine(
              actual.get(i).vector(),
              java.util.Arrays.copyOfRange(expected, i * dim, (i + 1) * dim));
      assertThat(cos)
          .as("cosine to Python for '%s'", texts.get(i))
          .isGreaterThanOrEqualTo(MIN_COSINE);
      worst = Math.min(worst, cos);
    }
    System.out.printf(
        Locale.ROOT,
        "Text embeddings vs Python: %d texts, token ids equal, lowest cosine %.6f%n",
        texts.size(),
        worst);
  }

  @Test
  void should_find_the_right_image_for_held_out_captions_through_a_collection(@TempDir Path tmp) {
    JsonObject retrieval = reference.getAsJsonObject("retrieval");
    List<Path> images = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (JsonElement e : retrieval.getAsJsonArray("items")) {
      images.add(ref.resolve(e.getAsJsonObject().get("file").getAsString()));
      captions.add(e.getAsJsonObject().get("caption").getAsString());
    }
    double recall =
        RetrievalSupport.recallAt1(encoder, images, captions, tmp.resolve("held-out.tessera"));
    System.out.printf(
        Locale.ROOT,
        "Held-out text->image recall@1 through a memory collection: %.3f on %d captions (Python:"
            + " %.3f)%n",
        recall,
        captions.size(),
        retrieval.get("python_recall_at_1").getAsDouble());
    assertThat(recall).isGreaterThanOrEqualTo(0.9);
  }
}
