package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.ClosedException;
import dev.tessera.api.EmbeddingResult;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pipeline gives exactly the one-by-one vectors, in input order, and names bad files. */
class ImageEmbeddingPipelineTest {
  @TempDir Path tmp;

  /** The nine committed real photos, twice over in a shuffled order, with a bad file inside. */
  private List<Path> images() throws IOException, URISyntaxException {
    Path dir = Path.of(getClass().getResource("/bench/photos").toURI());
    List<Path> photos;
    try (var s = Files.list(dir)) {
      photos = s.filter(p -> p.toString().matches(".*\\.(png|jpg)")).sorted().toList();
    }
    assertThat(photos).hasSize(9);
    List<Path> all = new ArrayList<>(photos);
    for (int i = photos.size() - 1; i >= 0; i -= 2) all.add(photos.get(i));
    all.add(6, Files.writeString(tmp.resolve("notes.jpg"), "not an image"));
    all.add(Files.createFile(tmp.resolve("empty.png")));
    return all;
  }

  @ParameterizedTest(name = "{0} decoding thread(s)")
  @ValueSource(ints = {1, 2, 5})
  void should_return_the_one_by_one_vectors_in_order_and_name_the_bad_files(int threads)
      throws Exception {
    List<Path> images = images();
    try (OnnxClipEncoder enc =
        OnnxClipEncoder.open(
            Fixtures.repoModels().resolve("tiny-clip"),
            // batches of 4 over 16 images: several batches, the last one short
            EncoderOptions.parse(Map.of("batch_size", "4")))) {
      List<EmbeddingResult> got = new ImageEmbeddingPipeline(enc, threads).embed(images);
      assertThat(got).hasSize(images.size());
      for (int i = 0; i < images.size(); i++) {
        Path p = images.get(i);
        assertThat(got.get(i).label()).isEqualTo(p.toString());
        EmbeddingResult alone = enc.embedImages(List.of(p)).get(0);
        assertThat(got.get(i).isSuccess()).as(p.toString()).isEqualTo(alone.isSuccess());
        if (alone.isSuccess()) {
          assertThat(got.get(i).embedding().vector())
              .as("vector of %s (item %d)", p.getFileName(), i)
              .containsExactly(alone.embedding().vector());
        }
      }
      assertThat(got.get(6).isSuccess()).isFalse();
      assertThat(got.get(6).error())
          .hasMessageContaining("notes.jpg")
          .hasMessageContaining("is not an image");
      assertThat(got.get(images.size() - 1).error())
          .hasMessageContaining("empty.png")
          .hasMessageContaining("is empty");
      assertThat(got.stream().filter(EmbeddingResult::isSuccess)).hasSize(images.size() - 2);
    }
  }

  @Test
  void should_refuse_a_closed_encoder_and_zero_threads() throws Exception {
    OnnxClipEncoder enc = OnnxClipEncoder.open(Fixtures.repoModels().resolve("tiny-clip"));
    ImageEmbeddingPipeline pipeline = new ImageEmbeddingPipeline(enc, 2);
    assertThat(pipeline.embed(List.of())).isEmpty();
    enc.close();
    assertThatThrownBy(() -> pipeline.embed(images())).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> new ImageEmbeddingPipeline(enc, 0))
        .hasMessageContaining("decodeThreads must be at least 1, got 0");
  }
}
