package dev.tessera.index.jvector;

import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.conformance.data.ClipLikeVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The conformance kit's CLIP-like vectors ({@link ClipLikeVectors}: clustered, anisotropic, split
 * by the modality gap) with the record-building helpers this module's tests and harness use.
 */
record ClipLikeData(ClipLikeVectors vectors) {
  /** A fingerprint for 512-d vectors of the generator (cosine, normalized). */
  static final ModelFingerprint FINGERPRINT_512 = ClipLikeVectors.defaults(0).fingerprint();

  /** The measured configuration: 512-d, 100 clusters, gap 1.0, spread 0.8. */
  static ClipLikeData defaults(long seed) {
    return new ClipLikeData(ClipLikeVectors.defaults(seed));
  }

  /** The same data with the modality gap removed. */
  ClipLikeData withoutGap() {
    return new ClipLikeData(vectors.withoutGap());
  }

  /**
   * {@code n} vectors of stream {@code stream}; vector {@code i} has modality {@link
   * #modalityOf(int)}.
   */
  float[][] vectors(int n, long stream) {
    return vectors.vectors(n, stream);
  }

  /** Modality of vector {@code i}: images at even positions, texts at odd ones. */
  static Modality modalityOf(int i) {
    return ClipLikeVectors.modalityOf(i);
  }

  /** {@code n} records with ids {@code prefix + i}, metadata {@code bucket = i % 100}. */
  List<Item> items(String prefix, int n, ModelFingerprint fp) {
    float[][] v = vectors(n, 0);
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(
          new Item(
              prefix + i,
              new Embedding(v[i], fp, modalityOf(i)),
              Map.of("bucket", Integer.toString(i % 100)),
              null));
    }
    return items;
  }
}
