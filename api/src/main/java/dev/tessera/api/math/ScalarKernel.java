package dev.tessera.api.math;

/** Plain-Java reference kernels: the baseline every optimized kernel is tested against. */
public final class ScalarKernel implements VectorKernel {
  /** The shared instance. */
  public static final ScalarKernel INSTANCE = new ScalarKernel();

  private ScalarKernel() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public float dot(float[] a, float[] b) {
    checkLengths(a, b);
    return dot(a, b, 0);
  }

  @Override
  public float cosine(float[] a, float[] b) {
    checkLengths(a, b);
    float ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    return cosineOf(ab, aa, bb);
  }

  @Override
  public float squareDistance(float[] a, float[] b) {
    checkLengths(a, b);
    return squareDistance(a, b, 0);
  }

  @Override
  public void dotBulk(float[] query, float[] data, int count, float[] out) {
    checkBulk(query, data, count, out);
    for (int r = 0; r < count; r++) {
      out[r] = dot(query, data, r * query.length);
    }
  }

  @Override
  public void squareDistanceBulk(float[] query, float[] data, int count, float[] out) {
    checkBulk(query, data, count, out);
    for (int r = 0; r < count; r++) {
      out[r] = squareDistance(query, data, r * query.length);
    }
  }

  private static float dot(float[] q, float[] data, int offset) {
    float s = 0;
    for (int i = 0; i < q.length; i++) {
      s += q[i] * data[offset + i];
    }
    return s;
  }

  private static float squareDistance(float[] q, float[] data, int offset) {
    float s = 0;
    for (int i = 0; i < q.length; i++) {
      float d = q[i] - data[offset + i];
      s += d * d;
    }
    return s;
  }

  static float cosineOf(float ab, float aa, float bb) {
    if (aa == 0 || bb == 0) return 0f;
    return (float) (ab / Math.sqrt((double) aa * (double) bb));
  }

  static void checkLengths(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "Vector lengths differ: " + a.length + " and " + b.length + ".");
    }
  }

  static void checkBulk(float[] query, float[] data, int count, float[] out) {
    if (count < 0 || (long) count * query.length > data.length) {
      throw new IllegalArgumentException(
          count
              + " rows of "
              + query.length
              + " floats do not fit in data of length "
              + data.length
              + ".");
    }
    if (out.length < count) {
      throw new IllegalArgumentException(
          "Output has room for " + out.length + " scores, " + count + " needed.");
    }
  }
}
