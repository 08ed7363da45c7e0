package dev.tessera.api.search;

import dev.tessera.api.Similarity;
import dev.tessera.api.math.Kernels;
import dev.tessera.api.math.VectorKernel;

/**
 * Scores stored vectors against one query on Tessera's scale for a {@link Similarity}, with the
 * kernel chosen for this JVM. This is the one definition of a score: every store, the conformance
 * kit's oracle and the benchmarks score through it, so the same pair gets the same float everywhere
 * and equal vectors tie exactly (the kernels sum in a fixed order, interpreted or compiled).
 *
 * <ul>
 *   <li>{@link Similarity#DOT_PRODUCT}: {@code dot(q, v)}.
 *   <li>{@link Similarity#COSINE}: {@code dot(q, v) / (norm(q) · norm(v))} in double, rounded to
 *       float once; 0 when either norm is 0. {@link #norm(float[])} is the norm every store must
 *       use when it keeps norms beside its vectors.
 *   <li>{@link Similarity#EUCLIDEAN}: {@code 1 / (1 + d²)} with d² the squared distance.
 * </ul>
 *
 * Instances are cheap and not thread-safe only in the sense that they hold one query; make one per
 * search.
 */
public final class QueryScorer {
  private final Similarity similarity;
  private final VectorKernel kernel;
  private final float[] query;
  private final float queryNorm;

  private QueryScorer(Similarity similarity, VectorKernel kernel, float[] query) {
    this.similarity = similarity;
    this.kernel = kernel;
    this.query = query;
    this.queryNorm = similarity == Similarity.COSINE ? norm(kernel, query) : 0f;
  }

  /** A scorer for {@code query} on the kernel chosen for this JVM. */
  public static QueryScorer of(Similarity similarity, float[] query) {
    return new QueryScorer(similarity, Kernels.get(), query);
  }

  /** A scorer for {@code query} on a given kernel (for tests and benchmarks). */
  public static QueryScorer of(Similarity similarity, float[] query, VectorKernel kernel) {
    return new QueryScorer(similarity, kernel, query);
  }

  /** The norm of {@code v} as cosine scores use it: {@code (float) sqrt(dot(v, v))}. */
  public static float norm(float[] v) {
    return norm(Kernels.get(), v);
  }

  private static float norm(VectorKernel kernel, float[] v) {
    return (float) Math.sqrt(kernel.dot(v, v));
  }

  /** The similarity this scorer scores on. */
  public Similarity similarity() {
    return similarity;
  }

  /** The query. */
  public float[] query() {
    return query;
  }

  /** The score of {@code vector}. */
  public float score(float[] vector) {
    return switch (similarity) {
      case DOT_PRODUCT -> kernel.dot(query, vector);
      case COSINE -> cosine(kernel.dot(query, vector), norm(kernel, vector));
      case EUCLIDEAN -> Similarity.fromSquaredDistance(kernel.squareDistance(query, vector));
    };
  }

  /**
   * The score of {@code vector} whose {@link #norm(float[])} the caller kept; for {@link
   * Similarity#COSINE} this saves a pass over the vector, for the others the norm is not used.
   */
  public float score(float[] vector, float vectorNorm) {
    return similarity == Similarity.COSINE
        ? cosine(kernel.dot(query, vector), vectorNorm)
        : score(vector);
  }

  /**
   * Scores {@code count} vectors stored row after row in {@code rows} into {@code out}; {@code
   * norms} (the rows' {@link #norm(float[])}) is needed for cosine and ignored otherwise. Gives
   * exactly the scores {@link #score(float[])} gives row by row.
   */
  public void scoreBulk(float[] rows, int count, float[] norms, float[] out) {
    switch (similarity) {
      case DOT_PRODUCT -> kernel.dotBulk(query, rows, count, out);
      case COSINE -> {
        kernel.dotBulk(query, rows, count, out);
        for (int i = 0; i < count; i++) out[i] = cosine(out[i], norms[i]);
      }
      case EUCLIDEAN -> {
        kernel.squareDistanceBulk(query, rows, count, out);
        for (int i = 0; i < count; i++) out[i] = Similarity.fromSquaredDistance(out[i]);
      }
    }
  }

  private float cosine(float dot, float vectorNorm) {
    if (queryNorm == 0f || vectorNorm == 0f) return 0f;
    return (float) (dot / ((double) queryNorm * vectorNorm));
  }
}
