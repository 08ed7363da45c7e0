package dev.tessera.api;

import java.nio.file.Path;
import java.util.List;

/**
 * One model that embeds texts and images into the same vector space. Every embedding it returns
 * carries its {@link #fingerprint()}. Implementations are safe for concurrent callers.
 */
public interface MultiModalEncoder extends AutoCloseable {
  /** Identifies the model, tokenizer and preprocessing exactly. */
  ModelFingerprint fingerprint();

  /**
   * Embeds texts, one embedding per text in order. Overlong text is truncated, empty text is
   * allowed.
   */
  List<Embedding> embedTexts(List<String> texts);

  /**
   * Embeds images, one result per path in order. A file that can not be read or decoded gives a
   * failed result naming the file; the other images are still embedded.
   */
  List<EmbeddingResult> embedImages(List<Path> images);

  /** Embeds one text. */
  default Embedding embedText(String text) {
    return embedTexts(List.of(text)).get(0);
  }

  /** Embeds one image; a file that can not be used throws with a message naming it. */
  default Embedding embedImage(Path image) {
    return embedImages(List.of(image)).get(0).orThrow();
  }

  /** Releases the model. Safe while other threads embed: they finish or fail cleanly. */
  @Override
  void close();
}
