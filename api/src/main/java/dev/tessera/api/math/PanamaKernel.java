package dev.tessera.api.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Panama Vector API ({@code jdk.incubator.vector}). Loaded reflectively by {@link
 * Kernels} only after it checked the module is readable, so this class never links without it.
 */
final class PanamaKernel implements VectorKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** Shuffles that swap lane i with lane i ^ w, for w = L/2, L/4, ..., 1. */
  @SuppressWarnings("unchecked")
  private static final VectorShuffle<Float>[] BUTTERFLY = butterfly();

  @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array can only be made raw
  private static VectorShuffle<Float>[] butterfly() {
    int steps = Integer.numberOfTrailingZeros(L);
    VectorShuffle<Float>[] out = new VectorShuffle[steps];
    for (int k = 0, w = L >> 1; k < steps; k++, w >>= 1) {
      final int width = w;
      out[k] = VectorShuffle.fromOp(S, i -> i ^ width);
    }
    return out;
  }

  PanamaKernel() {
    // Below 128 bits (or on an interpreter-only VM) the "vector" path is slower than scalar code.
    if (S.vectorBitSize() < 128) {
      throw new UnsupportedOperationException(
          "the preferred vector size is " + S.vectorBitSize() + " bits; at least 128 are needed");
    }
  }

  @Override
  public String name() {
    return "panama-" + S.vectorBitSize();
  }

  @Override
  public float dot(float[] a, float[] b) {
    ScalarKernel.checkLengths(a, b);
    return dot(a, b, 0);
  }

  @Override
  public float cosine(float[] a, float[] b) {
    ScalarKernel.checkLengths(a, b);
    int n = a.length;
    int i = 0;
    FloatVector ab = FloatVector.zero(S), aa = FloatVector.zero(S), bb = FloatVector.zero(S);
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector va = FloatVector.fromArray(S, a, i);
      FloatVector vb = FloatVector.fromArray(S, b, i);
      ab = va.fma(vb, ab);
      aa = va.fma(va, aa);
      bb = vb.fma(vb, bb);
    }
    float sab = sum(ab);
    float saa = sum(aa);
    float sbb = sum(bb);
    for (; i < n; i++) {
      sab += a[i] * b[i];
      saa += a[i] * a[i];
      sbb += b[i] * b[i];
    }
    return ScalarKernel.cosineOf(sab, saa, sbb);
  }

  @Override
  public float squareDistance(float[] a, float[] b) {
    ScalarKernel.checkLengths(a, b);
    return squareDistance(a, b, 0);
  }

  @Override
  public void dotBulk(float[] query, float[] data, int count, float[] out) {
    ScalarKernel.checkBulk(query, data, count, out);
    int dim = query.length;
    int r = 0;
    // Two rows at a time: each query load is reused twice. Each row keeps the same two accumulators
    // and the same order of additions as dot(), so a row scores bit for bit what dot() gives it.
    for (; r + 2 <= count; r += 2) {
      int o0 = r * dim, o1 = o0 + dim;
      FloatVector a0 = FloatVector.zero(S),
          a1 = FloatVector.zero(S),
          b0 = FloatVector.zero(S),
          b1 = FloatVector.zero(S);
      int i = 0;
      for (int bound = dim - 2 * L; i <= bound; i += 2 * L) {
        FloatVector q0 = FloatVector.fromArray(S, query, i);
        FloatVector q1 = FloatVector.fromArray(S, query, i + L);
        a0 = q0.fma(FloatVector.fromArray(S, data, o0 + i), a0);
        a1 = q1.fma(FloatVector.fromArray(S, data, o0 + i + L), a1);
        b0 = q0.fma(FloatVector.fromArray(S, data, o1 + i), b0);
        b1 = q1.fma(FloatVector.fromArray(S, data, o1 + i + L), b1);
      }
      for (int bound = S.loopBound(dim); i < bound; i += L) {
        FloatVector q = FloatVector.fromArray(S, query, i);
        a0 = q.fma(FloatVector.fromArray(S, data, o0 + i), a0);
        b0 = q.fma(FloatVector.fromArray(S, data, o1 + i), b0);
      }
      float t0 = sum(a0.add(a1));
      float t1 = sum(b0.add(b1));
      for (; i < dim; i++) {
        t0 += query[i] * data[o0 + i];
        t1 += query[i] * data[o1 + i];
      }
      out[r] = t0;
      out[r + 1] = t1;
    }
    for (; r < count; r++) {
      out[r] = dot(query, data, r * dim);
    }
  }

  @Override
  public void squareDistanceBulk(float[] query, float[] data, int count, float[] out) {
    ScalarKernel.checkBulk(query, data, count, out);
    for (int r = 0; r < count; r++) {
      out[r] = squareDistance(query, data, r * query.length);
    }
  }

  /**
   * Adds the lanes in a fixed order. {@code reduceLanes(ADD)} leaves the order unspecified, and the
   * interpreted and JIT-compiled forms round differently, so the same vectors could score one ulp
   * apart within one run and break the ties-by-id rule. A fixed order makes every call agree.
   */
  private static float sum(FloatVector v) {
    // A butterfly of lane-wise adds: every lane-wise operation is exact, so the interpreter and
    // the compiled code agree, and log2(L) shuffle+add steps cost about what reduceLanes does.
    for (VectorShuffle<Float> swap : BUTTERFLY) {
      v = v.add(v.rearrange(swap));
    }
    return v.lane(0);
  }

  private static float dot(float[] q, float[] data, int offset) {
    int n = q.length;
    int i = 0;
    FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
    // Two accumulators: consecutive FMAs on one register would wait on each other.
    for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
      acc0 = FloatVector.fromArray(S, q, i).fma(FloatVector.fromArray(S, data, offset + i), acc0);
      acc1 =
          FloatVector.fromArray(S, q, i + L)
              .fma(FloatVector.fromArray(S, data, offset + i + L), acc1);
    }
    for (int bound = S.loopBound(n); i < bound; i += L) {
      acc0 = FloatVector.fromArray(S, q, i).fma(FloatVector.fromArray(S, data, offset + i), acc0);
    }
    float s = sum(acc0.add(acc1));
    for (; i < n; i++) {
      s += q[i] * data[offset + i];
    }
    return s;
  }

  private static float squareDistance(float[] q, float[] data, int offset) {
    int n = q.length;
    int i = 0;
    FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
    for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
      FloatVector d0 =
          FloatVector.fromArray(S, q, i).sub(FloatVector.fromArray(S, data, offset + i));
      FloatVector d1 =
          FloatVector.fromArray(S, q, i + L).sub(FloatVector.fromArray(S, data, offset + i + L));
      acc0 = d0.fma(d0, acc0);
      acc1 = d1.fma(d1, acc1);
    }
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector d =
          FloatVector.fromArray(S, q, i).sub(FloatVector.fromArray(S, data, offset + i));
      acc0 = d.fma(d, acc0);
    }
    float s = sum(acc0.add(acc1));
    for (; i < n; i++) {
      float d = q[i] - data[offset + i];
      s += d * d;
    }
    return s;
  }
}
