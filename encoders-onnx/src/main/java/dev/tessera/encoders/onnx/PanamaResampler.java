package dev.tessera.encoders.onnx;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The horizontal pass of {@link PilResampler} for three interleaved channels with the Panama Vector
 * API: eight source pixels (24 bytes) a step, the same integer products and sums as the scalar
 * loop, so the bytes are the same. Loaded by {@link PilResampler} only once it checked that {@code
 * jdk.incubator.vector} is readable, so this class never links without it.
 */
final class PanamaResampler {
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
  // In 24 interleaved bytes, lane i of the k-th group of eight holds channel (8k + i) % 3.
  private static final VectorMask<Integer> M0 = mask(0);
  private static final VectorMask<Integer> M1 = mask(1);
  private static final VectorMask<Integer> M2 = mask(2);

  private PanamaResampler() {}

  private static VectorMask<Integer> mask(int residue) {
    boolean[] m = new boolean[8];
    for (int i = 0; i < 8; i++) m[i] = i % 3 == residue;
    return VectorMask.fromArray(I, m, 0);
  }

  /** As {@code PilResampler.horizontalPass3}; {@code half} is the rounding term. */
  static byte[] horizontalPass3(
      byte[] src,
      int w,
      boolean bgr,
      int rows,
      int rowOffset,
      int[] bounds,
      int[] weights,
      int ksize,
      int x0,
      int n,
      int half,
      int precisionBits) {
    // Each output's taps padded to whole groups of eight, every weight written three times.
    int groups = (ksize + 7) / 8;
    int stride = groups * 24;
    int[] w3 = new int[n * stride];
    for (int j = 0; j < n; j++) {
      int xx = x0 + j;
      for (int x = 0; x < bounds[xx * 2 + 1]; x++) {
        int k = weights[xx * ksize + x];
        int d = j * stride + x * 3;
        w3[d] = k;
        w3[d + 1] = k;
        w3[d + 2] = k;
      }
    }
    byte[] out = new byte[n * rows * 3];
    int limit = src.length;
    for (int y = 0; y < rows; y++) {
      int inRow = (y + rowOffset) * w * 3;
      int o = y * n * 3;
      for (int j = 0; j < n; j++, o += 3) {
        int xx = x0 + j;
        int xmin = bounds[xx * 2];
        int xmax = bounds[xx * 2 + 1];
        int p = inRow + xmin * 3;
        int chunks = (xmax + 7) / 8;
        int s0;
        int s1;
        int s2;
        if (p + chunks * 24 <= limit) {
          IntVector a0 = IntVector.zero(I);
          IntVector a1 = IntVector.zero(I);
          IntVector a2 = IntVector.zero(I);
          int wb = j * stride;
          for (int c = 0; c < chunks; c++, p += 24, wb += 24) {
            a0 = a0.add(bytes(src, p).mul(IntVector.fromArray(I, w3, wb)));
            a1 = a1.add(bytes(src, p + 8).mul(IntVector.fromArray(I, w3, wb + 8)));
            a2 = a2.add(bytes(src, p + 16).mul(IntVector.fromArray(I, w3, wb + 16)));
          }
          s0 = half + a0.blend(a1, M1).blend(a2, M2).reduceLanes(VectorOperators.ADD);
          s1 = half + a0.blend(a1, M2).blend(a2, M0).reduceLanes(VectorOperators.ADD);
          s2 = half + a0.blend(a1, M0).blend(a2, M1).reduceLanes(VectorOperators.ADD);
        } else {
          // The last pixels of the image: a group of eight would read past the array.
          s0 = half;
          s1 = half;
          s2 = half;
          int kb = xx * ksize;
          for (int x = 0; x < xmax; x++, p += 3) {
            int k = weights[kb + x];
            s0 += (src[p] & 0xff) * k;
            s1 += (src[p + 1] & 0xff) * k;
            s2 += (src[p + 2] & 0xff) * k;
          }
        }
        out[o] = clip8(bgr ? s2 : s0, precisionBits);
        out[o + 1] = clip8(s1, precisionBits);
        out[o + 2] = clip8(bgr ? s0 : s2, precisionBits);
      }
    }
    return out;
  }

  private static IntVector bytes(byte[] src, int p) {
    return (IntVector)
        ByteVector.fromArray(B, src, p).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
  }

  private static byte clip8(int v, int precisionBits) {
    if (v >= (1 << precisionBits << 8)) return (byte) 255;
    if (v <= 0) return 0;
    return (byte) (v >> precisionBits);
  }
}
