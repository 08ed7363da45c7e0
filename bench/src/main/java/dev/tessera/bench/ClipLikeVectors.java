package dev.tessera.bench;

import dev.tessera.api.Modality;
import java.util.SplittableRandom;

/**
 * Seeded synthetic unit vectors shaped like CLIP embeddings: a strong direction shared by every
 * vector, topic clusters, a per-modality offset (the "modality gap" between image and text clouds)
 * and anisotropic noise whose variance falls off with a power law over randomly permuted
 * coordinates. Vector {@code i} depends only on the seed and {@code i}, so any slice can be made on
 * any thread and the same data comes back on every run.
 */
public final class ClipLikeVectors {
  private final int dim;
  private final long seed;
  private final float[] common;
  private final float[][] centers;
  private final float[][] modalityOffset;
  private final float[] noiseScale;

  /**
   * A generator of {@code dim}-dimensional vectors around {@code clusters} topic centres.
   *
   * @throws IllegalArgumentException when {@code dim} or {@code clusters} is below 1
   */
  public ClipLikeVectors(int dim, int clusters, long seed) {
    if (dim < 1 || clusters < 1) {
      throw new IllegalArgumentException(
          "dim and clusters must be at least 1, got dim=" + dim + " clusters=" + clusters + ".");
    }
    this.dim = dim;
    this.seed = seed;
    SplittableRandom r = new SplittableRandom(seed);
    common = unit(gaussian(r, dim));
    centers = new float[clusters][];
    for (int c = 0; c < clusters; c++) centers[c] = unit(gaussian(r, dim));
    modalityOffset = new float[Modality.values().length][];
    for (int m = 0; m < modalityOffset.length; m++) modalityOffset[m] = unit(gaussian(r, dim));
    // Power-law spectrum (variance of coordinate k ~ 1/(k+1)) on a random permutation of the axes.
    noiseScale = new float[dim];
    int[] perm = new int[dim];
    for (int i = 0; i < dim; i++) perm[i] = i;
    for (int i = dim - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    double norm = 0;
    for (int k = 0; k < dim; k++) norm += 1.0 / (k + 1);
    for (int k = 0; k < dim; k++) noiseScale[perm[k]] = (float) Math.sqrt(1.0 / (k + 1) / norm);
  }

  /** Vector length. */
  public int dim() {
    return dim;
  }

  /** The modality of vector {@code i}: even indices are images, odd ones texts. */
  public static Modality modality(long i) {
    return (i & 1) == 0 ? Modality.IMAGE : Modality.TEXT;
  }

  /** Vector {@code i} of stream {@code stream} (0 = the corpus, 1 = queries), unit length. */
  public float[] vector(int stream, long i) {
    SplittableRandom r = new SplittableRandom(mix(seed, stream, i));
    int cluster = r.nextInt(centers.length);
    float[] c = centers[cluster];
    float[] g = modalityOffset[modality(i).ordinal()];
    float[] v = new float[dim];
    for (int k = 0; k < dim; k++) {
      // Weights chosen so cosine(image, text) of one topic is near 0.3 and the shared direction
      // dominates, as in real CLIP spaces (all vectors in one cone).
      v[k] =
          0.9f * common[k]
              + 0.7f * c[k]
              + 0.55f * g[k]
              + 0.8f * noiseScale[k] * (float) r.nextGaussian();
    }
    return unit(v);
  }

  private static long mix(long seed, int stream, long i) {
    long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + i * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static float[] gaussian(SplittableRandom r, int dim) {
    float[] v = new float[dim];
    for (int k = 0; k < dim; k++) v[k] = (float) r.nextGaussian();
    return v;
  }

  private static float[] unit(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    float inv = (float) (1.0 / Math.sqrt(s));
    for (int k = 0; k < v.length; k++) v[k] *= inv;
    return v;
  }
}
