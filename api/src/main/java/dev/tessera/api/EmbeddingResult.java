package dev.tessera.api;

import java.util.Objects;

/** The outcome of embedding one item of a batch: an embedding, or the error that item met. */
public record EmbeddingResult(String label, Embedding embedding, TesseraException error) {
  /** Exactly one of embedding and error is set. */
  public EmbeddingResult {
    Objects.requireNonNull(label, "label");
    if ((embedding == null) == (error == null)) {
      throw new IllegalArgumentException(
          "An embedding result holds either an embedding or an error.");
    }
  }

  /** A success. */
  public static EmbeddingResult success(String label, Embedding embedding) {
    return new EmbeddingResult(label, Objects.requireNonNull(embedding, "embedding"), null);
  }

  /** A failure. */
  public static EmbeddingResult failure(String label, TesseraException error) {
    return new EmbeddingResult(label, null, Objects.requireNonNull(error, "error"));
  }

  /** Whether the item was embedded. */
  public boolean isSuccess() {
    return embedding != null;
  }

  /** The embedding, or the error thrown. */
  public Embedding orThrow() {
    if (error != null) throw error;
    return embedding;
  }
}
