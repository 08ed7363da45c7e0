package dev.tessera.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A LangChain4j {@link EmbeddingModel} over the text tower of a Tessera {@link MultiModalEncoder}.
 * It carries the encoder's {@link #fingerprint()}, which {@link
 * TesseraEmbeddingStore.Builder#embeddingModel} checks against the collection's, so text embedded
 * here lands in the same vector space as the images the encoder embeds. The model does not own the
 * encoder: close the encoder yourself.
 */
public final class TesseraEmbeddingModel implements EmbeddingModel {
  private final MultiModalEncoder encoder;
  private final ModelFingerprint fingerprint;

  private TesseraEmbeddingModel(MultiModalEncoder encoder) {
    this.encoder = encoder;
    this.fingerprint = Objects.requireNonNull(encoder.fingerprint(), "encoder.fingerprint()");
  }

  /** The text tower of {@code encoder}. */
  public static TesseraEmbeddingModel of(MultiModalEncoder encoder) {
    return new TesseraEmbeddingModel(Objects.requireNonNull(encoder, "encoder"));
  }

  @Override
  public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
    Objects.requireNonNull(segments, "segments");
    if (segments.isEmpty()) return Response.from(List.of());
    List<String> texts = new ArrayList<>(segments.size());
    for (TextSegment s : segments) texts.add(Objects.requireNonNull(s, "segment").text());
    List<dev.tessera.api.Embedding> embedded = encoder.embedTexts(texts);
    List<Embedding> out = new ArrayList<>(embedded.size());
    for (dev.tessera.api.Embedding e : embedded) {
      if (!e.fingerprint().equals(fingerprint)) {
        throw new IllegalStateException(
            "Encoder "
                + encoder
                + " returned an embedding of "
                + e.fingerprint()
                + ", not of its own "
                + fingerprint
                + ".");
      }
      out.add(new Embedding(e.vector()));
    }
    return Response.from(out);
  }

  @Override
  public int dimension() {
    return fingerprint.dimension();
  }

  @Override
  public String modelName() {
    return fingerprint.name();
  }

  /** The encoder's fingerprint: the model, tokenizer and preprocessing these vectors come from. */
  public ModelFingerprint fingerprint() {
    return fingerprint;
  }

  /** The encoder whose text tower this is (its image tower is reached through the Tessera API). */
  public MultiModalEncoder encoder() {
    return encoder;
  }

  @Override
  public String toString() {
    return "TesseraEmbeddingModel[" + fingerprint + "]";
  }
}
