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

  /**
   * Whether the horizontal pass of three-channel images runs on the Vector API: when {@code
   * jdk.incubator.vector} is readable (the {@code tessera} launcher and the tests add it) and
   * {@code -Dtessera.resampler=scalar} is not set. Both give the same bytes.
   */
  static final boolean VECTOR = vectorAvailable();

  private PilResampler() {}

  private static boolean vectorAvailable() {
    if ("scalar".equals(System.getProperty("tessera.resampler"))) return false;
    var module = ModuleLayer.boot().findModule("jdk.incubator.vector");
    if (module.isEmpty() || !PilResampler.class.getModule().canRead(module.get())) return false;
    try {
      Class.forName("dev.tessera.encoders.onnx.PanamaResampler");
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

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
    return resize(src, w, h, channels, false, outW, outH, filter, 0, 0, outW, outH);
  }

  /**
   * The region {@code [rx, rx + rw) × [ry, ry + rh)} of {@code src} resized to {@code outW}×{@code
   * outH}: byte for byte what {@link #resize(byte[], int, int, int, int, int, Filter)} gives there,
   * but only the output columns and rows of the region are computed (a centre crop keeps 224 of the
   * 398 columns of a 16:9 photo). {@code bgr} (three channels only) reads the source as B, G, R (a
   * {@code TYPE_3BYTE_BGR} raster) and still writes R, G, B. The region must lie inside the output.
   */
  static byte[] resize(
      byte[] src,
      int w,
      int h,
      int channels,
      boolean bgr,
      int outW,
      int outH,
      Filter filter,
      int rx,
      int ry,
      int rw,
      int rh) {
    return resize(src, w, h, channels, bgr, outW, outH, filter, rx, ry, rw, rh, VECTOR);
  }

  /** As above, {@code vector} choosing the Vector API horizontal pass (three channels only). */
  static byte[] resize(
      byte[] src,
      int w,
      int h,
      int channels,
      boolean bgr,
      int outW,
      int outH,
      Filter filter,
      int rx,
      int ry,
      int rw,
      int rh,
      boolean vector) {
    if (outW <= 0 || outH <= 0) {
      throw new IllegalArgumentException("Target size " + outW + "x" + outH + " must be positive.");
    }
    if (rx < 0 || ry < 0 || rw <= 0 || rh <= 0 || rx + rw > outW || ry + rh > outH) {
      throw new IllegalArgumentException(
          "Region " + rw + "x" + rh + "+" + rx + "+" + ry + " is not inside " + outW + "x" + outH);
    }
    if (bgr && channels != 3) throw new IllegalArgumentException("bgr needs 3 channels");
    boolean horizontal = outW != w;
    boolean vertical = outH != h;

    // Rows of the source the output rows [ry, ry + rh) read (all of them when no vertical pass).
    Coefficients vert = vertical ? coefficients(h, outH, filter) : null;
    int firstRow = vertical ? vert.bounds[ry * 2] : ry;
    int endRow = firstRow;
    if (vertical) {
      for (int yy = ry; yy < ry + rh; yy++) {
        endRow = Math.max(endRow, vert.bounds[yy * 2] + vert.bounds[yy * 2 + 1]);
      }
    } else {
      endRow = ry + rh;
    }
    int rows = endRow - firstRow;

    // Horizontal pass (or a plain column copy): rw columns of rows [firstRow, endRow), as R, G, B.
    byte[] cur;
    if (horizontal) {
      Coefficients hor = coefficients(w, outW, filter);
      if (channels == 3 && vector) {
        cur =
            PanamaResampler.horizontalPass3(
                src,
                w,
                bgr,
                rows,
                firstRow,
                hor.bounds,
                hor.weights,
                hor.ksize,
                rx,
                rw,
                1 << (PRECISION_BITS - 1),
                PRECISION_BITS);
      } else if (channels == 3) {
        cur = horizontalPass3(src, w, bgr, rows, firstRow, hor, rx, rw);
      } else {
        cur = horizontalPass(src, w, channels, rows, firstRow, hor, rx, rw);
      }
    } else {
      cur = new byte[rw * rows * channels];
      for (int y = 0; y < rows; y++) {
        int s = ((y + firstRow) * w + rx) * channels;
        int d = y * rw * channels;
        if (bgr) {
          for (int i = 0; i < rw * 3; i += 3) {
            cur[d + i] = src[s + i + 2];
            cur[d + i + 1] = src[s + i + 1];
            cur[d + i + 2] = src[s + i];
          }
        } else {
          System.arraycopy(src, s, cur, d, rw * channels);
        }
      }
    }
    if (!vertical) return cur;
    return verticalPass(cur, rw * channels, firstRow, rh, ry, vert);
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

  /**
   * Three interleaved channels: the three sums share each weight, so one walk over the taps; output
   * columns {@code [x0, x0 + n)} of {@code rows} rows from {@code rowOffset}.
   */
  private static byte[] horizontalPass3(
      byte[] src, int w, boolean bgr, int rows, int rowOffset, Coefficients c, int x0, int n) {
    byte[] out = new byte[n * rows * 3];
    final int half = 1 << (PRECISION_BITS - 1);
    final int[] weights = c.weights;
    final int[] bounds = c.bounds;
    final int ksize = c.ksize;
    // Red is read at +0 (RGB) or +2 (BGR); blue the other way round.
    final int ro = bgr ? 2 : 0;
    final int bo = bgr ? 0 : 2;
    for (int y = 0; y < rows; y++) {
      final int inRow = (y + rowOffset) * w * 3;
      int o = y * n * 3;
      for (int xx = x0; xx < x0 + n; xx++, o += 3) {
        final int xmin = bounds[xx * 2];
        final int xmax = bounds[xx * 2 + 1];
        final int kbase = xx * ksize;
        int s0 = half;
        int s1 = half;
        int s2 = half;
        int p = inRow + xmin * 3;
        for (int x = 0; x < xmax; x++, p += 3) {
          final int k = weights[kbase + x];
          s0 += (src[p + ro] & 0xff) * k;
          s1 += (src[p + 1] & 0xff) * k;
          s2 += (src[p + bo] & 0xff) * k;
        }
        out[o] = (byte) clip8(s0);
        out[o + 1] = (byte) clip8(s1);
        out[o + 2] = (byte) clip8(s2);
      }
    }
    return out;
  }

  private static byte[] horizontalPass(
      byte[] src, int w, int channels, int rows, int rowOffset, Coefficients c, int x0, int n) {
    byte[] out = new byte[n * rows * channels];
    int half = 1 << (PRECISION_BITS - 1);
    int[] weights = c.weights;
    for (int y = 0; y < rows; y++) {
      int inRow = (y + rowOffset) * w * channels;
      int outRow = y * n * channels;
      for (int xx = x0; xx < x0 + n; xx++) {
        int xmin = c.bounds[xx * 2];
        int xmax = c.bounds[xx * 2 + 1];
        int kbase = xx * c.ksize;
        int o = outRow + (xx - x0) * channels;
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
    return out;
  }

  /**
   * Output rows {@code [y0, y0 + n)} from {@code src}, whose first row is source row {@code
   * rowOffset}; {@code stride} bytes a row.
   */
  private static byte[] verticalPass(
      byte[] src, int stride, int rowOffset, int n, int y0, Coefficients c) {
    byte[] out = new byte[stride * n];
    int half = 1 << (PRECISION_BITS - 1);
    int[] acc = new int[stride];
    for (int yy = y0; yy < y0 + n; yy++) {
      int ymin = c.bounds[yy * 2] - rowOffset;
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
      int outRow = (yy - y0) * stride;
      for (int i = 0; i < stride; i++) out[outRow + i] = (byte) clip8(acc[i]);
    }
    return out;
  }
}
