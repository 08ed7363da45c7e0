package dev.tessera.bench.mixed;

import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import java.util.Random;

/**
 * Data set B: captioned pairs of CLIP-like vectors with a modality gap of chosen width. It follows
 * the model of the conformance kit's {@code ClipLikeVectors} (unit cluster centres, anisotropic
 * noise whose standard deviation falls off as {@code 1/sqrt(1 + d/8)}, images shifted by {@code
 * +gap} along one offset direction and texts by {@code -gap}), and adds what that generator lacks
 * for this harness: a pairing. The two vectors of a pair share their cluster and an instance
 * component ({@value #SHARED} of the noise variance); the rest of the noise is their own.
 *
 * @param seed seeds the centres, the offset and the pairs
 * @param dimension vector length
 * @param clusters number of classes
 * @param gap length of the modality offset relative to a unit cluster centre
 * @param spread length of the noise relative to a unit cluster centre
 */
public record PairedClipLike(long seed, int dimension, int clusters, double gap, double spread) {
  /** Fraction of the noise variance a pair shares. */
  static final double SHARED = 0.6;

  /** Validates the parameters. */
  public PairedClipLike {
    if (dimension < 2 || clusters < 1 || !(gap >= 0) || !(spread >= 0)) {
      throw new IllegalArgumentException(
          "Need dimension >= 2, clusters >= 1, gap >= 0 and spread >= 0, got dimension="
              + dimension
              + ", clusters="
              + clusters
              + ", gap="
              + gap
              + ", spread="
              + spread
              + ".");
    }
  }

  /** The first {@code pairs} pairs. */
  public MixedData generate(int pairs) {
    Random r = new Random(seed);
    float[][] centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) centres[c] = unit(gaussian(r, null));
    float[] offset = unit(gaussian(r, null));
    float[] scale = new float[dimension];
    double s = 0;
    for (int d = 0; d < dimension; d++) {
      scale[d] = (float) (1.0 / Math.sqrt(1.0 + d / 8.0));
      s += scale[d] * scale[d];
    }
    double noise = spread / Math.sqrt(s);
    double shared = Math.sqrt(SHARED) * noise;
    double own = Math.sqrt(1 - SHARED) * noise;
    float[][] images = new float[pairs][];
    float[][] texts = new float[pairs][];
    int[] classes = new int[pairs];
    Random p = new Random(seed * 1_000_003L + 1);
    for (int i = 0; i < pairs; i++) {
      classes[i] = p.nextInt(clusters);
      float[] c = centres[classes[i]];
      float[] u = gaussian(p, scale);
      float[] ei = gaussian(p, scale);
      float[] et = gaussian(p, scale);
      float[] vi = new float[dimension];
      float[] vt = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        double base = c[d] + shared * u[d];
        vi[d] = (float) (base + own * ei[d] + gap * offset[d]);
        vt[d] = (float) (base + own * et[d] - gap * offset[d]);
      }
      images[i] = unit(vi);
      texts[i] = unit(vt);
    }
    return new MixedData(name(), fingerprint(), images, texts, classes);
  }

  /** The data set's name in the results, e.g. {@code clip-like-gap1.00}. */
  public String name() {
    return String.format(java.util.Locale.ROOT, "clip-like-gap%.2f", gap);
  }

  /** A cosine, normalized fingerprint for these vectors. */
  public ModelFingerprint fingerprint() {
    return ModelFingerprint.declared(
        "synthetic/paired-clip-like",
        dimension,
        Similarity.COSINE,
        true,
        "PairedClipLike v1 seed=" + seed + " clusters=" + clusters + " gap=" + gap);
  }

  private float[] gaussian(Random r, float[] scale) {
    float[] v = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      v[d] = (float) r.nextGaussian() * (scale == null ? 1f : scale[d]);
    }
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
