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
    // Four sets of (ab, aa, bb): three FMAs per pair of loads make cosine FMA-bound, and four
    // independent chains per quantity keep both FMA units busy through the 4-cycle latency.
    FloatVector ab0 = FloatVector.zero(S), ab1 = ab0, ab2 = ab0, ab3 = ab0;
    FloatVector aa0 = ab0, aa1 = ab0, aa2 = ab0, aa3 = ab0;
    FloatVector bb0 = ab0, bb1 = ab0, bb2 = ab0, bb3 = ab0;
    for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
      FloatVector x0 = FloatVector.fromArray(S, a, i), y0 = FloatVector.fromArray(S, b, i);
      FloatVector x1 = FloatVector.fromArray(S, a, i + L), y1 = FloatVector.fromArray(S, b, i + L);
      FloatVector x2 = FloatVector.fromArray(S, a, i + 2 * L);
      FloatVector y2 = FloatVector.fromArray(S, b, i + 2 * L);
      FloatVector x3 = FloatVector.fromArray(S, a, i + 3 * L);
      FloatVector y3 = FloatVector.fromArray(S, b, i + 3 * L);
      ab0 = x0.fma(y0, ab0);
      aa0 = x0.fma(x0, aa0);
      bb0 = y0.fma(y0, bb0);
      ab1 = x1.fma(y1, ab1);
      aa1 = x1.fma(x1, aa1);
      bb1 = y1.fma(y1, bb1);
      ab2 = x2.fma(y2, ab2);
      aa2 = x2.fma(x2, aa2);
      bb2 = y2.fma(y2, bb2);
      ab3 = x3.fma(y3, ab3);
      aa3 = x3.fma(x3, aa3);
      bb3 = y3.fma(y3, bb3);
    }
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector x = FloatVector.fromArray(S, a, i), y = FloatVector.fromArray(S, b, i);
      ab0 = x.fma(y, ab0);
      aa0 = x.fma(x, aa0);
      bb0 = y.fma(y, bb0);
    }
    float sab = sum(combine(ab0, ab1, ab2, ab3));
    float saa = sum(combine(aa0, aa1, aa2, aa3));
    float sbb = sum(combine(bb0, bb1, bb2, bb3));
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
    // Two rows per pass share each query load. Every row keeps dot()'s four accumulators and its
    // order of additions, so a row scores bit for bit what dot() gives it. Four rows per pass (16
    // accumulators) was tried and measured 4-7x slower per row on AVX-512 (BENCHMARKS.md section
    // 1).
    for (; r + 2 <= count; r += 2) dot2(query, data, r * dim, out, r);
    for (; r < count; r++) out[r] = dot(query, data, r * dim);
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

  /** The four accumulators summed in one fixed order: (a0 + a1) + (a2 + a3). */
  private static FloatVector combine(
      FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
    return a0.add(a1).add(a2.add(a3));
  }

  /**
   * Σ q[i]·data[offset+i]. Four accumulators: one FMA chain waits 4 cycles per step, and two loads
   * per FMA allow one FMA per cycle, so four chains reach the load bound. dot2 repeats exactly
   * these steps per row.
   */
  private static float dot(float[] q, float[] data, int offset) {
    int n = q.length;
    int i = 0;
    FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
    for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
      a0 = FloatVector.fromArray(S, q, i).fma(FloatVector.fromArray(S, data, offset + i), a0);
      a1 =
          FloatVector.fromArray(S, q, i + L)
              .fma(FloatVector.fromArray(S, data, offset + i + L), a1);
      a2 =
          FloatVector.fromArray(S, q, i + 2 * L)
              .fma(FloatVector.fromArray(S, data, offset + i + 2 * L), a2);
      a3 =
          FloatVector.fromArray(S, q, i + 3 * L)
              .fma(FloatVector.fromArray(S, data, offset + i + 3 * L), a3);
    }
    for (int bound = S.loopBound(n); i < bound; i += L) {
      a0 = FloatVector.fromArray(S, q, i).fma(FloatVector.fromArray(S, data, offset + i), a0);
    }
    float s = sum(combine(a0, a1, a2, a3));
    for (; i < n; i++) {
      s += q[i] * data[offset + i];
    }
    return s;
  }

  /** dot() of two consecutive rows from {@code o0} into out[r], out[r+1], in one pass. */
  private static void dot2(float[] q, float[] data, int o0, float[] out, int r) {
    int n = q.length;
    int o1 = o0 + n;
    int i = 0;
    FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
    FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
      FloatVector q0 = FloatVector.fromArray(S, q, i);
      FloatVector q1 = FloatVector.fromArray(S, q, i + L);
      FloatVector q2 = FloatVector.fromArray(S, q, i + 2 * L);
      FloatVector q3 = FloatVector.fromArray(S, q, i + 3 * L);
      a0 = q0.fma(FloatVector.fromArray(S, data, o0 + i), a0);
      b0 = q0.fma(FloatVector.fromArray(S, data, o1 + i), b0);
      a1 = q1.fma(FloatVector.fromArray(S, data, o0 + i + L), a1);
      b1 = q1.fma(FloatVector.fromArray(S, data, o1 + i + L), b1);
      a2 = q2.fma(FloatVector.fromArray(S, data, o0 + i + 2 * L), a2);
      b2 = q2.fma(FloatVector.fromArray(S, data, o1 + i + 2 * L), b2);
      a3 = q3.fma(FloatVector.fromArray(S, data, o0 + i + 3 * L), a3);
      b3 = q3.fma(FloatVector.fromArray(S, data, o1 + i + 3 * L), b3);
    }
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector qv = FloatVector.fromArray(S, q, i);
      a0 = qv.fma(FloatVector.fromArray(S, data, o0 + i), a0);
      b0 = qv.fma(FloatVector.fromArray(S, data, o1 + i), b0);
    }
    float s0 = sum(combine(a0, a1, a2, a3));
    float s1 = sum(combine(b0, b1, b2, b3));
    for (; i < n; i++) {
      s0 += q[i] * data[o0 + i];
      s1 += q[i] * data[o1 + i];
    }
    out[r] = s0;
    out[r + 1] = s1;
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
