package dev.tessera.index.lucene;

import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded clustered vectors for the tests and the harness: {@code clusters} random unit centres,
 * each vector a centre plus gaussian noise of length about {@code spread}; normalized when asked.
 * Texts and images share the clusters but are shifted apart by a fixed offset (a modality gap).
 */
final class TestData {
  final long seed;
  final int dimension;
  final boolean normalize;
  private final float[][] centres;
  private final float[] gap;
  private final double spread;

  TestData(long seed, int dimension, int clusters, double spread, boolean normalize) {
    this.seed = seed;
    this.dimension = dimension;
    this.normalize = normalize;
    this.spread = spread;
    Random r = new Random(seed);
    centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) centres[c] = unit(gaussian(r, dimension));
    gap = unit(gaussian(r, dimension));
  }

  static ModelFingerprint fingerprint(int dimension, Similarity similarity, boolean normalized) {
    return ModelFingerprint.declared(
        "test/lucene-" + similarity.id(), dimension, similarity, normalized, "index-lucene tests");
  }

  /** Vector {@code i} of stream {@code stream}: a text when i is odd, an image when even. */
  float[] vector(long stream, int i) {
    Random r = new Random(seed * 1_000_003L + stream * 7_919L + i);
    float[] c = centres[r.nextInt(centres.length)];
    float[] v = gaussian(r, dimension);
    double noise = spread / Math.sqrt(dimension);
    double shift = (i % 2 == 0 ? 0.5 : -0.5);
    for (int d = 0; d < dimension; d++) v[d] = (float) (c[d] + v[d] * noise + shift * gap[d]);
    if (normalize) return unit(v);
    // Unnormalized data: scale lengths over [0.5, 2) so dot and cosine orders differ.
    float scale = 0.5f + 1.5f * r.nextFloat();
    for (int d = 0; d < dimension; d++) v[d] *= scale;
    return v;
  }

  static Modality modalityOf(int i) {
    return i % 2 == 0 ? Modality.IMAGE : Modality.TEXT;
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

  static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
    return v;
  }

  static float[] unit(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    float inv = (float) (1 / Math.sqrt(s));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i] * inv;
    return out;
  }
}
