package dev.tessera.bench.mixed;

/**
 * How wide a data set's modality gap is: the mean cosine of matching pairs against the mean cosine
 * of each vector's nearest neighbour of its own modality (itself left out), and the distance
 * between the two modalities' centroids (the gap as Liang et al., "Mind the Gap", NeurIPS 2022,
 * measure it).
 *
 * @param pairCos mean cosine of an image and its own caption
 * @param sameModalityNnCos mean cosine of a vector and its nearest other vector of its modality
 * @param centroidDistance Euclidean distance between the mean image and the mean text vector
 */
public record GapStats(double pairCos, double sameModalityNnCos, double centroidDistance) {
  /** Same-modality neighbour cosine minus pair cosine: how far a caption's picture lies behind. */
  public double gap() {
    return sameModalityNnCos - pairCos;
  }

  /** Measures {@code d} (quadratic in its size). */
  public static GapStats of(MixedData d) {
    int n = d.size();
    double pair = 0;
    for (int i = 0; i < n; i++) pair += MixedData.dot(d.images()[i], d.texts()[i]);
    double nn = (nearest(d.images()) + nearest(d.texts())) / 2;
    int dim = d.images()[0].length;
    double[] mi = new double[dim];
    double[] mt = new double[dim];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < dim; k++) {
        mi[k] += d.images()[i][k] / n;
        mt[k] += d.texts()[i][k] / n;
      }
    }
    double dist = 0;
    for (int k = 0; k < dim; k++) dist += (mi[k] - mt[k]) * (mi[k] - mt[k]);
    return new GapStats(pair / n, nn, Math.sqrt(dist));
  }

  private static double nearest(float[][] v) {
    if (v.length < 2) return Double.NaN;
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      float best = -2;
      for (int j = 0; j < v.length; j++) {
        if (j != i) best = Math.max(best, MixedData.dot(v[i], v[j]));
      }
      sum += best;
    }
    return sum / v.length;
  }
}
