package dev.tessera.index.lucene;

import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.synthetic.ClipLikeVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tests' and the harness's records over the project's one CLIP-like generator ({@link
 * ClipLikeVectors}: {@code clusters} centres shared by both modalities, anisotropic noise of length
 * about {@code spread}, images and texts shifted apart by a modality offset of 0.5), normalized, or
 * with lengths scaled over [0.5, 2) when not, so dot and cosine orders differ.
 */
final class TestData {
  /** The modality offset of these tests' data. */
  private static final double GAP = 0.5;

  final long seed;
  final int dimension;
  final boolean normalize;
  private final ClipLikeVectors vectors;
  private final Map<Long, float[][]> streams = new ConcurrentHashMap<>();

  TestData(long seed, int dimension, int clusters, double spread, boolean normalize) {
    this.seed = seed;
    this.dimension = dimension;
    this.normalize = normalize;
    this.vectors = new ClipLikeVectors(seed, dimension, clusters, GAP, spread);
  }

  static ModelFingerprint fingerprint(int dimension, Similarity similarity, boolean normalized) {
    return ModelFingerprint.declared(
        "test/lucene-" + similarity.id(), dimension, similarity, normalized, "index-lucene tests");
  }

  /** Vector {@code i} of stream {@code stream}: a text when i is odd, an image when even. */
  float[] vector(long stream, int i) {
    float[][] prefix =
        streams.compute(
            stream,
            (s, old) ->
                old != null && old.length > i
                    ? old
                    : vectors.vectors(Math.max(i + 1, old == null ? 64 : 2 * old.length), s));
    float[] v = prefix[i].clone();
    if (normalize) return v;
    // Unnormalized data: scale lengths over [0.5, 2) so dot and cosine orders differ.
    float scale = 0.5f + 1.5f * new Random(seed * 1_000_003L + stream * 7_919L + i).nextFloat();
    for (int d = 0; d < dimension; d++) v[d] *= scale;
    return v;
  }

  static Modality modalityOf(int i) {
    return ClipLikeVectors.modalityOf(i);
  }

  /**
   * {@code n} records {@code prefix + i} with metadata {@code bucket = i % 100} and a text or image
   * source.
   */
  List<Item> items(String prefix, int n, ModelFingerprint fp) {
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Modality m = modalityOf(i);
      Embedding e = new Embedding(vector(0, i), fp, m);
      String id = prefix + i;
      Item item =
          m == Modality.TEXT
              ? Item.text(id, "text " + i, e)
              : Item.image(id, "img/" + i + ".jpg", e);
      items.add(item.with("bucket", Integer.toString(i % 100)));
    }
    return items;
  }
}
