package dev.tessera.encoders.onnx;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the PNGs photos are saved as (8-bit gray, RGB or RGBA, not interlaced) straight into R,
 * G, B bytes: one inflate of the image data and the scanline filters undone in place, where
 * ImageIO's reader costs about twice as much (per-row rasters and copies; measured 6.9 against 3.9
 * ms for Pillow on a 512×512 photo). The samples are exactly those ImageIO and Pillow read: gray
 * replicated, alpha dropped (as Pillow's {@code convert("RGB")}). Anything else (palette, 16-bit,
 * interlaced, 1–4-bit, a chunk that does not add up) returns null, and the caller decodes with
 * ImageIO as before, so its messages for broken files are unchanged.
 */
final class PngFastPath {
  private PngFastPath() {}

  /** Off with {@code -Dtessera.png=imageio} (every PNG through ImageIO, for comparisons). */
  static final boolean ENABLED = !"imageio".equals(System.getProperty("tessera.png"));

  private static final int IHDR = 0x49484452;
  private static final int IDAT = 0x49444154;
  private static final int IEND = 0x49454E44;

  /** The RGB samples of {@code png}, or null when this path does not take the file. */
  static byte[] decodeRgb(byte[] png) {
    if (png.length < 33 || readInt(png, 12) != IHDR || readInt(png, 8) != 13) return null;
    int w = readInt(png, 16);
    int h = readInt(png, 20);
    int depth = png[24] & 0xff;
    int colorType = png[25] & 0xff;
    int interlace = png[28] & 0xff;
    int channels =
        switch (colorType) {
          case 0 -> 1;
          case 2 -> 3;
          case 4 -> 2;
          case 6 -> 4;
          default -> 0;
        };
    if (channels == 0 || depth != 8 || interlace != 0 || w <= 0 || h <= 0) return null;
    long stride = (long) w * channels;
    if ((stride + 1) * h > Integer.MAX_VALUE - 8 || 3L * w * h > Integer.MAX_VALUE - 8) return null;
    int rowBytes = (int) stride;
    byte[] raw = new byte[(rowBytes + 1) * h];
    Inflater inflater = new Inflater();
    try {
      int filled = 0;
      int p = 8;
      boolean ended = false;
      while (p + 8 <= png.length) {
        int len = readInt(png, p);
        int type = readInt(png, p + 4);
        if (len < 0 || p + 12L + len > png.length) return null;
        if (type == IDAT) {
          inflater.setInput(png, p + 8, len);
          while (!inflater.needsInput() && !inflater.finished() && filled < raw.length) {
            int n = inflater.inflate(raw, filled, raw.length - filled);
            if (n == 0 && (inflater.needsDictionary() || !inflater.needsInput())) return null;
            filled += n;
          }
        } else if (type == IEND) {
          ended = true;
          break;
        }
        p += 12 + len;
      }
      if (!ended || filled != raw.length) return null;
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
    if (!unfilter(raw, rowBytes, channels, h)) return null;
    byte[] rgb = new byte[3 * w * h];
    int o = 0;
    for (int y = 0; y < h; y++) {
      int r = y * (rowBytes + 1) + 1;
      switch (channels) {
        case 3 -> {
          System.arraycopy(raw, r, rgb, o, rowBytes);
          o += rowBytes;
        }
        case 1 -> {
          for (int x = 0; x < w; x++, o += 3) {
            byte v = raw[r + x];
            rgb[o] = v;
            rgb[o + 1] = v;
            rgb[o + 2] = v;
          }
        }
        case 2 -> {
          for (int x = 0; x < w; x++, o += 3) {
            byte v = raw[r + 2 * x];
            rgb[o] = v;
            rgb[o + 1] = v;
            rgb[o + 2] = v;
          }
        }
        default -> {
          for (int x = 0; x < w; x++, o += 3) {
            int s = r + 4 * x;
            rgb[o] = raw[s];
            rgb[o + 1] = raw[s + 1];
            rgb[o + 2] = raw[s + 2];
          }
        }
      }
    }
    return rgb;
  }

  /**
   * Undoes the PNG filters of every scanline in place ({@code raw}: per row a filter byte, then
   * {@code rowBytes} samples); false on an unknown filter type.
   */
  static boolean unfilter(byte[] raw, int rowBytes, int bpp, int h) {
    int line = rowBytes + 1;
    for (int y = 0; y < h; y++) {
      int cur = y * line + 1;
      int prev = cur - line; // valid only when y > 0
      int filter = raw[cur - 1];
      if (y == 0 && filter >= 2 && filter <= 4) {
        // The row above the first is zeros: Up changes nothing, Paeth predicts the left
        // neighbour (Sub), Average half of it.
        if (filter == 3) {
          for (int i = bpp; i < rowBytes; i++) {
            raw[cur + i] += (byte) ((raw[cur + i - bpp] & 0xff) >>> 1);
          }
          continue;
        }
        filter = filter == 4 ? 1 : 0;
      }
      switch (filter) {
        case 0 -> {}
        case 1 -> {
          for (int i = bpp; i < rowBytes; i++) raw[cur + i] += raw[cur + i - bpp];
        }
        case 2 -> {
          for (int i = 0; i < rowBytes; i++) raw[cur + i] += raw[prev + i];
        }
        case 3 -> {
          for (int i = 0; i < bpp; i++) raw[cur + i] += (byte) ((raw[prev + i] & 0xff) >>> 1);
          for (int i = bpp; i < rowBytes; i++) {
            int a = raw[cur + i - bpp] & 0xff;
            int b = raw[prev + i] & 0xff;
            raw[cur + i] += (byte) ((a + b) >>> 1);
          }
        }
        case 4 -> {
          for (int i = 0; i < bpp; i++) raw[cur + i] += raw[prev + i]; // a = c = 0: predicts b
          for (int i = bpp; i < rowBytes; i++) {
            int a = raw[cur + i - bpp] & 0xff;
            int b = raw[prev + i] & 0xff;
            int c = raw[prev + i - bpp] & 0xff;
            // p = a + b - c, so |p - a| = |b - c|, |p - b| = |a - c|, |p - c| = |a + b - 2c|
            int pa = Math.abs(b - c);
            int pb = Math.abs(a - c);
            int pc = Math.abs(a + b - 2 * c);
            raw[cur + i] += (byte) (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          }
        }
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  private static int readInt(byte[] b, int p) {
    return ((b[p] & 0xff) << 24)
        | ((b[p + 1] & 0xff) << 16)
        | ((b[p + 2] & 0xff) << 8)
        | (b[p + 3] & 0xff);
  }
}
