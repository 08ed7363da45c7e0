package dev.tessera.api.math;

/**
 * Distance kernels over float vectors. Implementations must agree with {@link ScalarKernel} within
 * float rounding (the tests bound the difference by {@code 1e-5 × Σ|aᵢbᵢ|}).
 *
 * <p>The bulk forms score one query against {@code count} vectors stored row after row in {@code
 * data} (row {@code r} starts at {@code r × query.length}), writing one score per row to {@code
 * out}.
 */
public interface VectorKernel {
  /** A short name for logs and benchmarks, e.g. {@code scalar} or {@code panama-256}. */
  String name();

  /** Σ aᵢbᵢ. */
  float dot(float[] a, float[] b);

  /** dot(a,b) / (‖a‖‖b‖); 0 when either vector is zero. */
  float cosine(float[] a, float[] b);

  /** Σ (aᵢ − bᵢ)². */
  float squareDistance(float[] a, float[] b);

  /** dot of {@code query} against each of {@code count} rows of {@code data}. */
  void dotBulk(float[] query, float[] data, int count, float[] out);

  /** squared distance of {@code query} to each of {@code count} rows of {@code data}. */
  void squareDistanceBulk(float[] query, float[] data, int count, float[] out);
}
