package dev.tessera.encoders.onnx;

import java.util.Objects;

/**
 * An 8-bit RGB image: {@code width × height} pixels, three bytes per pixel (R, G, B), row-major, no
 * alpha. The array is owned by the image; {@link #pixels()} returns it without copying.
 */
public record RgbImage(int width, int height, byte[] pixels) {
  /** Checks that the array holds exactly {@code width * height * 3} bytes. */
  public RgbImage {
    Objects.requireNonNull(pixels, "pixels");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "Image size " + width + "x" + height + " must be positive.");
    }
    if ((long) width * height * 3 != pixels.length) {
      throw new IllegalArgumentException(
          "An RGB image of "
              + width
              + "x"
              + height
              + " needs "
              + (long) width * height * 3
              + " bytes, got "
              + pixels.length
              + ".");
    }
  }

  /** The red, green or blue value (0..255) of pixel (x, y). */
  public int get(int x, int y, int channel) {
    return pixels[(y * width + x) * 3 + channel] & 0xff;
  }

  /**
   * The image turned as an EXIF orientation tag (1..8) says, so it displays upright; 1 or unknown
   * returns this.
   */
  public RgbImage oriented(int orientation) {
    if (orientation < 2 || orientation > 8) return this;
    boolean swap = orientation >= 5;
    int ow = swap ? height : width;
    int oh = swap ? width : height;
    byte[] out = new byte[pixels.length];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        // (sx, sy): the source pixel that lands on (x, y).
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> {
            sx = width - 1 - x;
            sy = y;
          } // mirror left-right
          case 3 -> {
            sx = width - 1 - x;
            sy = height - 1 - y;
          } // rotate 180
          case 4 -> {
            sx = x;
            sy = height - 1 - y;
          } // mirror top-bottom
          case 5 -> {
            sx = y;
            sy = x;
          } // transpose
          case 6 -> {
            sx = y;
            sy = height - 1 - x;
          } // rotate 90 clockwise
          case 7 -> {
            sx = width - 1 - y;
            sy = height - 1 - x;
          } // transverse
          default -> {
            sx = width - 1 - y;
            sy = x;
          } // 8: rotate 90 counter-clockwise
        }
        int s = (sy * width + sx) * 3;
        int d = (y * ow + x) * 3;
        out[d] = pixels[s];
        out[d + 1] = pixels[s + 1];
        out[d + 2] = pixels[s + 2];
      }
    }
    return new RgbImage(ow, oh, out);
  }
}
