package dev.tessera.synthetic;

import java.util.Random;

/**
 * Seeded clustered vectors for recall tests: cluster centres drawn from a Gaussian, points
 * scattered around them with a smaller Gaussian. The same seed and parameters give the same vectors
 * on every JVM ({@link Random} is specified bit for bit).
 */
public final class ClusteredVectors {
  private final int dimension;
  private final float[][] centres;
  private final float spread;

  /**
   * @param seed makes the centres reproducible
   * @param dimension vector length
   * @param clusters how many cluster centres
   * @param spread standard deviation of a point around its centre (centres have 1)
   */
  public ClusteredVectors(long seed, int dimension, int clusters, float spread) {
    if (dimension < 1 || clusters < 1 || !(spread > 0)) {
      throw new IllegalArgumentException(
          "Need dimension >= 1, clusters >= 1 and spread > 0, got "
              + dimension
              + ", "
              + clusters
              + ", "
              + spread
              + ".");
    }
    this.dimension = dimension;
    this.spread = spread;
    Random rnd = new Random(seed);
    centres = new float[clusters][dimension];
    for (float[] c : centres) {
      for (int i = 0; i < dimension; i++) c[i] = (float) rnd.nextGaussian();
    }
  }

  /**
   * {@code n} points, each near a centre picked at random from {@code seed}; optionally
   * L2-normalized.
   */
  public float[][] sample(long seed, int n, boolean normalize) {
    Random rnd = new Random(seed);
    float[][] out = new float[n][dimension];
    for (int j = 0; j < n; j++) {
      float[] c = centres[rnd.nextInt(centres.length)];
      for (int i = 0; i < dimension; i++) out[j][i] = c[i] + spread * (float) rnd.nextGaussian();
      if (normalize) normalizeInPlace(out[j]);
    }
    return out;
  }

  /** The vector length. */
  public int dimension() {
    return dimension;
  }

  /** Scales {@code v} to unit length (a zero vector is left as it is) and returns it. */
  public static float[] normalizeInPlace(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    if (s == 0) return v;
    double inv = 1 / Math.sqrt(s);
    for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * inv);
    return v;
  }
}
