package dev.tessera.encoders.onnx;

/**
 * Resizes 8-bit interleaved images the way Pillow's {@code Image.resize} does (no reducing gap): a
 * separable convolution, horizontal pass first, whose filter support grows with the reduction
 * factor (antialiasing), with weights in 22-bit fixed point and each pass rounded and clamped to 8
 * bits. Written from the description of the algorithm so that vectors match the Python reference.
 */
final class PilResampler {
  /**
   * Fixed-point precision of the weights, as in Pillow: 32 bits minus 8 for the value and 2 spare.
   */
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private PilResampler() {}

  /**
   * The resampling filters of Pillow, by their numeric code in {@code preprocessor_config.json}.
   */
  enum Filter {
    LANCZOS(1, 3.0),
    BILINEAR(2, 1.0),
    BICUBIC(3, 2.0),
    BOX(4, 0.5),
    HAMMING(5, 1.0);

    final int code;
    final double support;

    Filter(int code, double support) {
      this.code = code;
      this.support = support;
    }

    /** The filter for Pillow's code; NEAREST (0) and unknown codes are refused. */
    static Filter ofCode(int code) {
      for (Filter f : values()) {
        if (f.code == code) return f;
      }
      throw new IllegalArgumentException(
          "Resample mode "
              + code
              + " is not supported: use 1 (lanczos), 2 (bilinear), "
              + "3 (bicubic, what CLIP uses), 4 (box) or 5 (hamming).");
    }

    double weight(double x) {
      return switch (this) {
        case BICUBIC -> bicubic(x);
        case BILINEAR -> {
          double a = Math.abs(x);
          yield a < 1.0 ? 1.0 - a : 0.0;
        }
        case BOX -> (x > -0.5 && x <= 0.5) ? 1.0 : 0.0;
        case HAMMING -> {
          double a = Math.abs(x);
          if (a == 0.0) yield 1.0;
          if (a >= 1.0) yield 0.0;
          double px = a * Math.PI;
          yield Math.sin(px) / px * (0.54 + 0.46 * Math.cos(px));
        }
        case LANCZOS -> (x > -3.0 && x < 3.0) ? sinc(x) * sinc(x / 3.0) : 0.0;
      };
    }

    private static double bicubic(double x) {
      final double a = -0.5; // Keys' cubic with a = -0.5, as Pillow uses
      x = Math.abs(x);
      if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
      if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
      return 0.0;
    }

    private static double sinc(double x) {
      if (x == 0.0) return 1.0;
      x *= Math.PI;
      return Math.sin(x) / x;
    }
  }

  /**
   * Per output position: first input index, number of taps, and fixed-point weights (ksize each).
   */
  private record Coefficients(int[] bounds, int[] weights, int ksize) {}

  /**
   * Resizes {@code src} ({@code w}×{@code h}, {@code channels} bytes per pixel, row-major) to
   * {@code outW}×{@code outH}. Returns a new array; the same size gives a copy.
   */
  static byte[] resize(byte[] src, int w, int h, int channels, int outW, int outH, Filter filter) {
    if (outW <= 0 || outH <= 0) {
      throw new IllegalArgumentException("Target size " + outW + "x" + outH + " must be positive.");
    }
    boolean horizontal = outW != w;
    boolean vertical = outH != h;
    if (!horizontal && !vertical) return src.clone();

    Coefficients vert = coefficients(h, outH, filter);
    // Only the rows the vertical pass reads are computed by the horizontal pass.
    int firstRow = vert.bounds[0];
    int lastRow = vert.bounds[(outH - 1) * 2] + vert.bounds[(outH - 1) * 2 + 1];

    byte[] cur = src;
    int curH = h;
    if (horizontal) {
      Coefficients hor = coefficients(w, outW, filter);
      int rows = vertical ? lastRow - firstRow : h;
      int offset = vertical ? firstRow : 0;
      cur = horizontalPass(src, w, channels, outW, rows, offset, hor);
      curH = rows;
      if (vertical) {
        for (int i = 0; i < outH; i++) vert.bounds[i * 2] -= firstRow;
      }
    }
    if (vertical) {
      cur = verticalPass(cur, outW, curH, channels, outH, vert);
    }
    return cur;
  }

  private static Coefficients coefficients(int inSize, int outSize, Filter filter) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = filter.support * filterScale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] bounds = new int[outSize * 2];
    int[] weights = new int[outSize * ksize];
    double[] k = new double[ksize];
    double ss = 1.0 / filterScale;
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      // (int) truncates toward zero like the C cast, then the clamps bring it into range.
      int xmin = (int) (center - support + 0.5);
      if (xmin < 0) xmin = 0;
      int xmax = (int) (center + support + 0.5);
      if (xmax > inSize) xmax = inSize;
      xmax -= xmin;
      double ww = 0.0;
      for (int x = 0; x < xmax; x++) {
        double wgt = filter.weight((x + xmin - center + 0.5) * ss);
        k[x] = wgt;
        ww += wgt;
      }
      for (int x = 0; x < xmax; x++) {
        double v = ww != 0.0 ? k[x] / ww : k[x];
        weights[xx * ksize + x] =
            v < 0
                ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                : (int) (0.5 + v * (1 << PRECISION_BITS));
      }
      bounds[xx * 2] = xmin;
      bounds[xx * 2 + 1] = xmax;
    }
    return new Coefficients(bounds, weights, ksize);
  }

  private static int clip8(int v) {
    if (v >= (1 << PRECISION_BITS << 8)) return 255;
    if (v <= 0) return 0;
    return v >> PRECISION_BITS;
  }

  private static byte[] horizontalPass(
      byte[] src, int w, int channels, int outW, int rows, int rowOffset, Coefficients c) {
    byte[] out = new byte[outW * rows * channels];
    int half = 1 << (PRECISION_BITS - 1);
    int[] weights = c.weights;
    for (int y = 0; y < rows; y++) {
      int inRow = (y + rowOffset) * w * channels;
      int outRow = y * outW * channels;
      for (int xx = 0; xx < outW; xx++) {
        int xmin = c.bounds[xx * 2];
        int xmax = c.bounds[xx * 2 + 1];
        int kbase = xx * c.ksize;
        int o = outRow + xx * channels;
        if (channels == 3) {
          // The three channels share each weight: one pass over the taps.
          int s0 = half;
          int s1 = half;
          int s2 = half;
          int p = inRow + xmin * 3;
          for (int x = 0; x < xmax; x++, p += 3) {
            int k = weights[kbase + x];
            s0 += (src[p] & 0xff) * k;
            s1 += (src[p + 1] & 0xff) * k;
            s2 += (src[p + 2] & 0xff) * k;
          }
          out[o] = (byte) clip8(s0);
          out[o + 1] = (byte) clip8(s1);
          out[o + 2] = (byte) clip8(s2);
        } else {
          for (int ch = 0; ch < channels; ch++) {
            int ss = half;
            int p = inRow + xmin * channels + ch;
            for (int x = 0; x < xmax; x++, p += channels) {
              ss += (src[p] & 0xff) * weights[kbase + x];
            }
            out[o + ch] = (byte) clip8(ss);
          }
        }
      }
    }
    return out;
  }

  private static byte[] verticalPass(
      byte[] src, int w, int h, int channels, int outH, Coefficients c) {
    byte[] out = new byte[w * outH * channels];
    int half = 1 << (PRECISION_BITS - 1);
    int stride = w * channels;
    int[] acc = new int[stride];
    for (int yy = 0; yy < outH; yy++) {
      int ymin = c.bounds[yy * 2];
      int ymax = c.bounds[yy * 2 + 1];
      int kbase = yy * c.ksize;
      java.util.Arrays.fill(acc, half);
      // Row by row so memory is read in order; the sums are the same integers in the same order per
      // pixel.
      for (int y = 0; y < ymax; y++) {
        int k = c.weights[kbase + y];
        int p = (ymin + y) * stride;
        for (int i = 0; i < stride; i++) {
          acc[i] += (src[p + i] & 0xff) * k;
        }
      }
      int outRow = yy * stride;
      for (int i = 0; i < stride; i++) out[outRow + i] = (byte) clip8(acc[i]);
    }
    return out;
  }
}
