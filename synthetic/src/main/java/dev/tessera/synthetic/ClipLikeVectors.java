package dev.tessera.synthetic;

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
 * Seeded vectors shaped like a CLIP model's output, for mixed-modality recall tests and benchmarks:
 * unit cluster centres shared by both modalities, anisotropic noise around them (its standard
 * deviation falls off as {@code 1/sqrt(1 + d/8)} along dimension d, scaled to length {@code
 * spread}), then images shifted by an offset of length {@code gap} and texts by its opposite, then
 * L2-normalized. The offset is CLIP's modality gap: each cluster exists twice, once per modality,
 * and a graph index that links mostly within an island can lose the other one.
 *
 * <p>{@link #defaults(long)} is the configuration of the modality-gap measurements (512-d, 100
 * clusters, gap 1.0, spread 0.8); {@link #withoutGap()} is the same data without the offsets, as a
 * control, and {@link #withGap(double)} the same data with a wider (or narrower) gap. This is the
 * project's one CLIP-like generator: the conformance kit, the bench and the stores' tests all use
 * it. The same seed and parameters give the same vectors on every JVM ({@link Random} is specified
 * bit for bit).
 *
 * @param seed seeds the centres and the offset direction; each stream of vectors has its own seed
 * @param dimension vector length (at least 2)
 * @param clusters number of content clusters shared by both modalities
 * @param gap length of the modality offset relative to a unit cluster centre; 0 for no gap
 * @param spread length of the within-cluster noise relative to a unit cluster centre
 */
public record ClipLikeVectors(long seed, int dimension, int clusters, double gap, double spread) {
  /** One generated vector and the modality it stands for. */
  public record Sample(float[] vector, Modality modality) {}

  /** A picture's vector and its caption's: one content on either side of the gap. */
  public record Pair(float[] image, float[] text) {}

  /** An image-caption pair with the cluster (its class) both sides were drawn from. */
  public record ClassedPair(int cluster, float[] image, float[] text) {}

  /** Validates the parameters. */
  public ClipLikeVectors {
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

  /** The measured configuration: 512-d, 100 clusters, gap 1.0, spread 0.8. */
  public static ClipLikeVectors defaults(long seed) {
    return new ClipLikeVectors(seed, 512, 100, 1.0, 0.8);
  }

  /** The same data with the modality gap removed (the control). */
  public ClipLikeVectors withoutGap() {
    return withGap(0.0);
  }

  /**
   * The same centres, noise and offset direction with a modality offset of length {@code gap}: a
   * larger value pulls the two modalities further apart (a wider gap than {@link #defaults}).
   */
  public ClipLikeVectors withGap(double gap) {
    return new ClipLikeVectors(seed, dimension, clusters, gap, spread);
  }

  /** A cosine, normalized fingerprint for vectors of this generator. */
  public ModelFingerprint fingerprint() {
    return ModelFingerprint.declared(
        "synthetic/clip-like", dimension, Similarity.COSINE, true, "ClipLikeVectors v1");
  }

  /**
   * The modality of vector {@code i} of {@link #vectors}: images at even positions, texts at odd
   * ones.
   */
  public static Modality modalityOf(int i) {
    return i % 2 == 0 ? Modality.IMAGE : Modality.TEXT;
  }

  /**
   * {@code n} unit vectors of stream {@code stream} (use one stream for the corpus and another for
   * the queries); vector {@code i} has modality {@link #modalityOf(int) modalityOf(i)}, so any
   * prefix holds both modalities equally.
   */
  public float[][] vectors(int n, long stream) {
    Model m = new Model();
    Random r = new Random(seed * 1_000_003L + stream);
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) out[i] = m.draw(r, modalityOf(i));
    return out;
  }

  /** {@link #vectors} with each vector's modality attached. */
  public List<Sample> sample(int n, long stream) {
    float[][] v = vectors(n, stream);
    List<Sample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(new Sample(v[i], modalityOf(i)));
    return out;
  }

  /**
   * {@code n} image-caption pairs of stream {@code stream}: pair {@code i} draws one cluster and
   * one content noise (length {@code spread}), and each side adds its own noise of half that length
   * before the offset ({@code +gap} for the image, {@code -gap} for the text) and normalization, so
   * the two share their content but not every detail, as a picture and its caption do.
   */
  public List<Pair> pairs(int n, long stream) {
    Model m = new Model();
    Random r = new Random(seed * 1_000_003L + stream + 0x9A1B5L);
    List<Pair> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(m.drawPair(r));
    return out;
  }

  /**
   * {@code n} image-caption pairs of stream {@code stream} whose two sides share {@code
   * sharedFraction} of their noise variance (the rest each side draws alone), so the pair's cosine
   * can be set apart from the gap; each pair says its cluster. The mixed-collection quality harness
   * measures on these.
   */
  public List<ClassedPair> pairs(int n, long stream, double sharedFraction) {
    if (!(sharedFraction >= 0 && sharedFraction <= 1)) {
      throw new IllegalArgumentException(
          "sharedFraction must be in [0, 1], got " + sharedFraction + ".");
    }
    Model m = new Model();
    Random r = new Random(seed * 1_000_003L + stream);
    double noise = spread / m.noiseNorm;
    double shared = Math.sqrt(sharedFraction) * noise;
    double own = Math.sqrt(1 - sharedFraction) * noise;
    List<ClassedPair> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int cluster = r.nextInt(clusters);
      float[] c = m.centres[cluster];
      float[] u = m.gaussian(r, m.scale);
      float[] ei = m.gaussian(r, m.scale);
      float[] et = m.gaussian(r, m.scale);
      float[] vi = new float[dimension];
      float[] vt = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        double base = c[d] + shared * u[d];
        vi[d] = (float) (base + own * ei[d] + gap * m.offset[d]);
        vt[d] = (float) (base + own * et[d] - gap * m.offset[d]);
      }
      out.add(new ClassedPair(cluster, unit(vi), unit(vt)));
    }
    return out;
  }

  /**
   * {@code n} records of stream {@code stream} with ids {@code prefix + i}, this generator's {@link
   * #fingerprint()}, modality {@link #modalityOf(int) modalityOf(i)}, metadata {@code bucket = i %
   * 100} and no source.
   */
  public List<Item> items(String prefix, int n, long stream) {
    ModelFingerprint fp = fingerprint();
    float[][] v = vectors(n, stream);
    List<Item> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          new Item(
              prefix + i,
              new Embedding(v[i], fp, modalityOf(i)),
              Map.of("bucket", Integer.toString(i % 100)),
              null));
    }
    return out;
  }

  /** Centres, anisotropy and offset, all drawn from {@link #seed}. */
  private final class Model {
    final float[][] centres = new float[clusters][];
    final float[] scale = new float[dimension];
    final float[] offset;
    final double noiseNorm;

    Model() {
      Random r = new Random(seed);
      for (int c = 0; c < clusters; c++) centres[c] = unit(gaussian(r, null));
      double s = 0;
      for (int d = 0; d < dimension; d++) {
        scale[d] = (float) (1.0 / Math.sqrt(1.0 + d / 8.0));
        s += scale[d] * scale[d];
      }
      noiseNorm =
          Math.sqrt(
              s); // expected length of the scaled noise, so spread is relative to a unit centre
      offset = unit(gaussian(r, null));
    }

    float[] draw(Random r, Modality modality) {
      float[] c = centres[r.nextInt(clusters)];
      float[] noise = gaussian(r, scale);
      float sign = modality == Modality.IMAGE ? 1f : -1f;
      float[] v = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        v[d] = (float) (c[d] + spread * noise[d] / noiseNorm + sign * gap * offset[d]);
      }
      return unit(v);
    }

    Pair drawPair(Random r) {
      float[] c = centres[r.nextInt(clusters)];
      float[] content = gaussian(r, scale);
      float[] ownImage = gaussian(r, scale);
      float[] ownText = gaussian(r, scale);
      return new Pair(side(c, content, ownImage, 1f), side(c, content, ownText, -1f));
    }

    private float[] side(float[] c, float[] content, float[] own, float sign) {
      float[] v = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        v[d] =
            (float)
                (c[d] + spread * (content[d] + 0.5 * own[d]) / noiseNorm + sign * gap * offset[d]);
      }
      return unit(v);
    }

    private float[] gaussian(Random r, float[] scale) {
      float[] v = new float[dimension];
      for (int d = 0; d < dimension; d++)
        v[d] = (float) r.nextGaussian() * (scale == null ? 1f : scale[d]);
      return v;
    }
  }

  private static float[] unit(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    float inv = (float) (1.0 / Math.sqrt(s));
    for (int d = 0; d < v.length; d++) v[d] *= inv;
    return v;
  }
}
