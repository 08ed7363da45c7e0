package dev.tessera.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adapter model is the encoder's text tower and carries its fingerprint. */
class TesseraEmbeddingModelTest {
  private final WordEncoder encoder = new WordEncoder("v1");
  private final TesseraEmbeddingModel model = TesseraEmbeddingModel.of(encoder);

  @Test
  void it_describes_the_encoders_model() {
    assertThat(model.fingerprint()).isEqualTo(encoder.fingerprint());
    assertThat(model.dimension()).isEqualTo(WordEncoder.DIMENSION);
    assertThat(model.modelName()).isEqualTo("word-encoder");
  }

  @Test
  void it_embeds_each_segment_in_order_with_the_text_tower() {
    List<Embedding> out =
        model.embedAll(List.of(TextSegment.from("a cat"), TextSegment.from("a dog"))).content();

    assertThat(out)
        .extracting(Embedding::vector)
        .containsExactly(encoder.embedText("a cat").vector(), encoder.embedText("a dog").vector());
    assertThat(model.embed("a cat").content().vector()).isEqualTo(WordEncoder.vector("a cat"));
    assertThat(model.embedAll(List.of()).content()).isEmpty();
  }
}
