package dev.tessera.encoders.onnx;

import java.nio.charset.StandardCharsets;

/**
 * Reads the EXIF orientation tag (0x0112) from the bytes of a JPEG (APP1 "Exif"), PNG (eXIf chunk)
 * or WebP (EXIF chunk) file. Returns 1 (upright) when there is none or it can not be read: a broken
 * EXIF block must not make an otherwise good image unusable.
 */
final class ExifOrientation {
  private ExifOrientation() {}

  /** The orientation 1..8 stored in {@code file}, or 1. */
  static int of(byte[] file) {
    try {
      if (file.length > 4 && (file[0] & 0xff) == 0xFF && (file[1] & 0xff) == 0xD8)
        return jpeg(file);
      if (file.length > 8
          && (file[0] & 0xff) == 0x89
          && file[1] == 'P'
          && file[2] == 'N'
          && file[3] == 'G') return png(file);
      if (file.length > 12 && ascii(file, 0, 4).equals("RIFF") && ascii(file, 8, 4).equals("WEBP"))
        return webp(file);
    } catch (RuntimeException e) {
      // Malformed EXIF: treat as upright, like viewers do.
    }
    return 1;
  }

  private static int jpeg(byte[] b) {
    int p = 2;
    while (p + 4 <= b.length) {
      if ((b[p] & 0xff) != 0xFF) return 1;
      int marker = b[p + 1] & 0xff;
      if (marker == 0xFF) {
        p++;
        continue;
      }
      if (marker == 0xD9 || marker == 0xDA)
        return 1; // end of image or start of scan: no EXIF before the data
      int len = u16be(b, p + 2);
      if (marker == 0xE1 && len >= 8 && ascii(b, p + 4, 6).equals("Exif\0\0")) {
        return tiff(b, p + 10, p + 2 + len);
      }
      p += 2 + len;
    }
    return 1;
  }

  /** Whether a JPEG carries an Adobe APP14 segment (whose CMYK samples are stored inverted). */
  static boolean jpegHasAdobeMarker(byte[] b) {
    if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) return false;
    int p = 2;
    while (p + 4 <= b.length) {
      if ((b[p] & 0xff) != 0xFF) return false;
      int marker = b[p + 1] & 0xff;
      if (marker == 0xFF) {
        p++;
        continue;
      }
      if (marker == 0xD9 || marker == 0xDA) return false;
      int len = u16be(b, p + 2);
      if (marker == 0xEE && len >= 7 && ascii(b, p + 4, 5).equals("Adobe")) return true;
      p += 2 + len;
    }
    return false;
  }

  private static int png(byte[] b) {
    int p = 8;
    while (p + 12 <= b.length) {
      int len = (int) u32be(b, p);
      String type = ascii(b, p + 4, 4);
      if (type.equals("eXIf")) {
        int start = p + 8;
        if (len >= 6 && ascii(b, start, 6).equals("Exif\0\0")) start += 6;
        return tiff(b, start, p + 8 + len);
      }
      if (type.equals("IDAT") || type.equals("IEND")) return 1;
      p += 12 + len;
    }
    return 1;
  }

  private static int webp(byte[] b) {
    int p = 12;
    while (p + 8 <= b.length) {
      String type = ascii(b, p, 4);
      int len = (int) u32le(b, p + 4);
      if (type.equals("EXIF")) {
        int start = p + 8;
        if (len >= 6 && ascii(b, start, 6).equals("Exif\0\0")) start += 6;
        return tiff(b, start, p + 8 + len);
      }
      p += 8 + len + (len & 1);
    }
    return 1;
  }

  /** Reads IFD0 of the TIFF structure in {@code b[start, end)} and returns tag 0x0112. */
  private static int tiff(byte[] b, int start, int end) {
    end = Math.min(end, b.length);
    boolean little = b[start] == 'I' && b[start + 1] == 'I';
    if (!little && !(b[start] == 'M' && b[start + 1] == 'M')) return 1;
    long ifd = little ? u32le(b, start + 4) : u32be(b, start + 4);
    int p = (int) (start + ifd);
    if (ifd < 8 || p + 2 > end) return 1;
    int count = little ? u16le(b, p) : u16be(b, p);
    p += 2;
    for (int i = 0; i < count && p + 12 <= end; i++, p += 12) {
      int tag = little ? u16le(b, p) : u16be(b, p);
      if (tag == 0x0112) {
        int value = little ? u16le(b, p + 8) : u16be(b, p + 8);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  private static String ascii(byte[] b, int off, int len) {
    if (off + len > b.length) return "";
    return new String(b, off, len, StandardCharsets.ISO_8859_1);
  }

  private static int u16be(byte[] b, int p) {
    return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
  }

  private static int u16le(byte[] b, int p) {
    return (b[p] & 0xff) | ((b[p + 1] & 0xff) << 8);
  }

  private static long u32be(byte[] b, int p) {
    return ((long) u16be(b, p) << 16) | u16be(b, p + 2);
  }

  private static long u32le(byte[] b, int p) {
    return u16le(b, p) | ((long) u16le(b, p + 2) << 16);
  }
}
