package dev.tessera.bench.mixed;

import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.synthetic.ClipLikeVectors;
import java.util.List;

/**
 * Data set B: captioned pairs of CLIP-like vectors with a modality gap of chosen width, drawn by
 * the one CLIP-like generator ({@link ClipLikeVectors#pairs(int, long, double)}: unit cluster
 * centres, anisotropic noise whose standard deviation falls off as {@code 1/sqrt(1 + d/8)}, images
 * shifted by {@code +gap} along one offset direction and texts by {@code -gap}). The two vectors of
 * a pair share their cluster and an instance component ({@value #SHARED} of the noise variance);
 * the rest of the noise is their own.
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

  /** Validates the parameters (as the generator does). */
  public PairedClipLike {
    new ClipLikeVectors(seed, dimension, clusters, gap, spread);
  }

  /** The first {@code pairs} pairs: {@link ClipLikeVectors#pairs(int, long, double)}, stream 1. */
  public MixedData generate(int pairs) {
    List<ClipLikeVectors.ClassedPair> drawn =
        new ClipLikeVectors(seed, dimension, clusters, gap, spread).pairs(pairs, 1, SHARED);
    float[][] images = new float[pairs][];
    float[][] texts = new float[pairs][];
    int[] classes = new int[pairs];
    for (int i = 0; i < pairs; i++) {
      images[i] = drawn.get(i).image();
      texts[i] = drawn.get(i).text();
      classes[i] = drawn.get(i).cluster();
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
}
