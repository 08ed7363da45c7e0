package dev.tessera.index.jvector;

import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded CLIP-like vectors: clustered, anisotropic (variance falls off across dimensions), and split
 * by the modality gap — image vectors are shifted by an offset and text vectors by its opposite
 * before normalization, so each cluster exists twice, once per modality, as CLIP's embeddings do.
 * Reusable by any backend's tests and harnesses; {@code gap = 0} gives the same data without the gap.
 *
 * @param seed random seed (printed by the tests that use it)
 * @param dimension vector length
 * @param clusters number of semantic clusters shared by both modalities
 * @param gap length of the modality offset relative to a unit cluster centre
 * @param spread length of the within-cluster noise relative to a unit cluster centre
 */
public record ClipLikeData(long seed, int dimension, int clusters, double gap, double spread) {
  /** A fingerprint for these vectors (cosine, normalized). */
  public static final ModelFingerprint FINGERPRINT_512 =
      ModelFingerprint.declared("synthetic/clip-like", 512, Similarity.COSINE, true, "ClipLikeData v1");

  /** The defaults used for the measurements: 512-d, 100 clusters, a strong modality gap. */
  public static ClipLikeData defaults(long seed) {
    return new ClipLikeData(seed, 512, 100, 1.0, 0.8);
  }

  /** The same data with the modality gap removed. */
  public ClipLikeData withoutGap() {
    return new ClipLikeData(seed, dimension, clusters, 0.0, spread);
  }

  /** {@code n} vectors; vector {@code i} is an image when {@code i} is even, a text when odd. */
  public float[][] vectors(int n, long stream) {
    Model m = model();
    Random r = new Random(seed * 1_000_003L + stream);
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) out[i] = m.draw(r, i % 2 == 0 ? Modality.IMAGE : Modality.TEXT);
    return out;
  }

  /** Modality of vector {@code i} of {@link #vectors}. */
  public static Modality modalityOf(int i) {
    return i % 2 == 0 ? Modality.IMAGE : Modality.TEXT;
  }

  /** {@code n} records with ids {@code prefix + i}, metadata {@code bucket = i % 100}. */
  public List<Item> items(String prefix, int n, ModelFingerprint fp) {
    float[][] v = vectors(n, 0);
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Embedding e = new Embedding(v[i], fp, modalityOf(i));
      items.add(new Item(prefix + i, e, Map.of("bucket", Integer.toString(i % 100)), null));
    }
    return items;
  }

  private Model model() {
    Random r = new Random(seed);
    float[][] centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) centres[c] = unit(gaussian(r, dimension, null));
    float[] scale = new float[dimension];
    for (int d = 0; d < dimension; d++) scale[d] = (float) (1.0 / Math.sqrt(1.0 + d / 8.0));
    float[] offset = unit(gaussian(r, dimension, null));
    return new Model(centres, scale, offset);
  }

  private final class Model {
    final float[][] centres;
    final float[] scale;
    final float[] offset;
    final double noiseNorm;

    Model(float[][] centres, float[] scale, float[] offset) {
      this.centres = centres;
      this.scale = scale;
      this.offset = offset;
      double s = 0;
      for (float x : scale) s += x * x;
      this.noiseNorm = Math.sqrt(s);
    }

    float[] draw(Random r, Modality modality) {
      float[] c = centres[r.nextInt(centres.length)];
      float[] noise = gaussian(r, dimension, scale);
      float sign = modality == Modality.IMAGE ? 1f : -1f;
      float[] v = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        v[d] = (float) (c[d] + spread * noise[d] / noiseNorm + sign * gap * offset[d]);
      }
      return unit(v);
    }
  }

  private static float[] gaussian(Random r, int dim, float[] scale) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) v[d] = (float) r.nextGaussian() * (scale == null ? 1f : scale[d]);
    return v;
  }

  private static float[] unit(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    float inv = (float) (1.0 / Math.sqrt(s));
    for (int d = 0; d < v.length; d++) v[d] *= inv;
    return v;
  }
}
