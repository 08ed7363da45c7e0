package dev.tessera.conformance.data;

import dev.tessera.api.Modality;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded vectors shaped like a CLIP model's output, for the mixed-modality recall test: clustered
 * content in an anisotropic space (variance falls off along the axes, as in real embeddings), then
 * half of the points are shifted by an "image" offset and half by the opposite "text" offset, then
 * everything is L2-normalized. The offset is CLIP's modality gap: texts and images form two islands
 * on the sphere, and a graph index that links mostly within an island can lose the other one.
 *
 * <p>{@code gap = 0} gives the same content without the gap, as a control. The same seed and
 * parameters give the same vectors on every JVM.
 */
public final class ClipLikeVectors {
  /** Default offset length relative to the unit-length content; texts and images then sit well apart. */
  public static final float DEFAULT_GAP = 0.8f;
  /** Default spread of a point around its cluster centre (centres have 1). */
  public static final float DEFAULT_SPREAD = 0.45f;

  /** One generated vector and the modality it pretends to come from. */
  public record Sample(float[] vector, Modality modality) {}

  private final int dimension;
  private final float[][] centres;
  private final float[] scale;
  private final float[] gapDirection;
  private final float gap;
  private final float spread;

  /** A generator with {@code dimension}, {@code clusters} centres and the default gap and spread. */
  public ClipLikeVectors(long seed, int dimension, int clusters) {
    this(seed, dimension, clusters, DEFAULT_GAP, DEFAULT_SPREAD);
  }

  /**
   * @param seed makes centres, anisotropy and the gap direction reproducible
   * @param dimension vector length (at least 2)
   * @param clusters how many content clusters (texts and images share them, as captions and photos do)
   * @param gap length of the modality offset relative to the unit-length content; 0 for no gap
   * @param spread standard deviation of a point around its centre
   */
  public ClipLikeVectors(long seed, int dimension, int clusters, float gap, float spread) {
    if (dimension < 2 || clusters < 1 || gap < 0 || !(spread > 0)) {
      throw new IllegalArgumentException("Need dimension >= 2, clusters >= 1, gap >= 0 and spread > 0, got "
          + dimension + ", " + clusters + ", " + gap + ", " + spread + ".");
    }
    this.dimension = dimension;
    this.gap = gap;
    this.spread = spread;
    Random rnd = new Random(seed);
    // Anisotropy: standard deviation falls off as 1/sqrt(1 + i/8), so a few axes carry most variance.
    scale = new float[dimension];
    for (int i = 0; i < dimension; i++) scale[i] = (float) (1 / Math.sqrt(1 + i / 8.0));
    centres = new float[clusters][dimension];
    for (float[] c : centres) {
      for (int i = 0; i < dimension; i++) c[i] = scale[i] * (float) rnd.nextGaussian();
    }
    gapDirection = new float[dimension];
    for (int i = 0; i < dimension; i++) gapDirection[i] = (float) rnd.nextGaussian();
    ClusteredVectors.normalizeInPlace(gapDirection);
  }

  /**
   * {@code n} samples from {@code seed}: even positions are images, odd ones texts, so a prefix of any
   * length holds both modalities equally.
   */
  public List<Sample> sample(long seed, int n) {
    Random rnd = new Random(seed);
    List<Sample> out = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      Modality m = j % 2 == 0 ? Modality.IMAGE : Modality.TEXT;
      out.add(new Sample(vector(rnd, m), m));
    }
    return out;
  }

  /** One sample of modality {@code modality} drawn from {@code rnd}. */
  public float[] vector(Random rnd, Modality modality) {
    float[] c = centres[rnd.nextInt(centres.length)];
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) v[i] = c[i] + spread * scale[i] * (float) rnd.nextGaussian();
    ClusteredVectors.normalizeInPlace(v);
    float sign = modality == Modality.IMAGE ? 1f : -1f;
    for (int i = 0; i < dimension; i++) v[i] += sign * gap * gapDirection[i];
    return ClusteredVectors.normalizeInPlace(v);
  }

  /** The vector length. */
  public int dimension() {
    return dimension;
  }

  /** The offset length this generator was made with. */
  public float gap() {
    return gap;
  }
}
