package dev.tessera.encoders.onnx;

import java.awt.color.ColorSpace;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

/**
 * JPEG colour as Pillow (and so CLIP's training and reference pipelines) sees it: embedded ICC
 * profiles are not applied, and CMYK/YCCK samples become RGB by Pillow's formula, with no colour
 * management. Kept apart from {@link ImageDecoder}, which decodes every format.
 */
final class JpegColour {
  private JpegColour() {}

  private static final byte[] ICC_PROFILE = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

  /**
   * {@code bytes} without the APP2 {@code ICC_PROFILE} segments when it is a JPEG (other segments
   * and the scan data kept as they are); any other file as it is.
   */
  static byte[] withoutIccProfile(byte[] bytes) {
    if (bytes.length < 4 || (bytes[0] & 0xff) != 0xFF || (bytes[1] & 0xff) != 0xD8) return bytes;
    // One pass over the segment headers; the copy is made only once a profile is found, so a JPEG
    // without one (most photos) is decoded from its bytes as read, with no second buffer.
    ByteArrayOutputStream out = null;
    int copiedTo = 0;
    int i = 2;
    while (i + 4 <= bytes.length && (bytes[i] & 0xff) == 0xFF) {
      int marker = bytes[i + 1] & 0xff;
      if (marker == 0xDA || marker == 0xD9 || marker == 0xFF || marker < 0xC0) break;
      int end = i + 2 + (((bytes[i + 2] & 0xff) << 8) | (bytes[i + 3] & 0xff));
      if (end > bytes.length) break;
      boolean icc =
          marker == 0xE2
              && end - (i + 4) >= ICC_PROFILE.length
              && Arrays.equals(
                  bytes, i + 4, i + 4 + ICC_PROFILE.length, ICC_PROFILE, 0, ICC_PROFILE.length);
      if (icc) {
        if (out == null) out = new ByteArrayOutputStream(bytes.length);
        out.write(bytes, copiedTo, i - copiedTo);
        copiedTo = end;
      }
      i = end;
    }
    if (out == null) return bytes;
    out.write(bytes, copiedTo, bytes.length - copiedTo);
    return out.toByteArray();
  }

  static boolean isCmyk(ImageReader reader) throws IOException {
    ImageTypeSpecifier raw = reader.getRawImageType(0);
    if (raw == null) return false;
    ColorSpace cs = raw.getColorModel().getColorSpace();
    return cs.getType() == ColorSpace.TYPE_CMYK || cs.getType() == ColorSpace.TYPE_4CLR;
  }

  /**
   * Pillow's CMYK → RGB: {@code R = (255 - K) - C·(255 - K)/255} rounded, likewise G from M and B
   * from Y; samples of Adobe files (APP14) are inverted first, as Pillow does.
   */
  static RgbImage fromCmykRaster(Raster r, boolean inverted) {
    int w = r.getWidth();
    int h = r.getHeight();
    if (r.getNumBands() < 4) {
      throw new IllegalStateException(
          "A CMYK JPEG decoded to " + r.getNumBands() + " bands instead of 4.");
    }
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    int bands = r.getNumBands();
    int[] row = new int[w * bands];
    int o = 0;
    for (int y = 0; y < h; y++) {
      r.getPixels(r.getMinX(), y + r.getMinY(), w, 1, row);
      for (int x = 0, i = 0; x < w; x++, i += bands) {
        if (inverted) {
          // Adobe's CMYK JPEGs store 255 - value; Pillow reads them as "CMYK;I".
          for (int c = 0; c < 4; c++) row[i + c] = 255 - row[i + c];
        }
        int nk = 255 - row[i + 3];
        for (int c = 0; c < 3; c++) {
          out[o++] = (byte) clamp(nk - mulDiv255(row[i + c], nk));
        }
      }
    }
    return new RgbImage(w, h, out);
  }

  private static int mulDiv255(int a, int b) {
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }
}
