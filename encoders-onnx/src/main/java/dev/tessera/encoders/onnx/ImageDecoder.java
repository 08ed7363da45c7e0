package dev.tessera.encoders.onnx;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image files to 8-bit {@link RgbImage}s the way Pillow's {@code Image.open(f)} followed by
 * {@code ImageOps.exif_transpose} and {@code convert("RGB")} does, so embeddings match models
 * preprocessed in Python.
 *
 * <ul>
 *   <li>Formats: JPEG (including CMYK/YCCK, through the TwelveMonkeys reader), PNG, GIF (first
 *       frame), BMP and WebP (TwelveMonkeys).
 *   <li>The EXIF orientation is applied, so a photo taken sideways is embedded upright.
 *   <li>Grayscale is replicated into R, G and B; palettes are looked up; CMYK becomes RGB with
 *       Pillow's formula {@code R = (255 - K) - C·(255 - K)/255} (no colour management).
 *   <li>Embedded ICC colour profiles are ignored, as Pillow ignores them: the stored samples are
 *       used.
 *   <li>Alpha is dropped, not composited: a transparent pixel keeps its stored colour, exactly as
 *       {@code convert("RGB")} does.
 *   <li>16 bits per sample: RGB keeps the high byte (as Pillow's PNG reader does); 16-bit grayscale
 *       is clipped to 255 as Pillow's {@code I → RGB} conversion does (so most of such an image is
 *       white, as it is in the Python reference).
 *   <li>Decompression bombs are refused from the header, before any pixel is decoded: an image of
 *       more than {@link #maxPixels()} pixels fails, and so does one whose samples do not fit in
 *       one Java array (about 715.8 million RGB pixels) whatever the limit.
 * </ul>
 *
 * Every failure is an {@link ImageDecodeException} whose message names the file. Thread-safe.
 */
public final class ImageDecoder {
  /**
   * Pillow's default {@code Image.MAX_IMAGE_PIXELS}: about a quarter gigapixel, 89,478,485 pixels.
   */
  public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

  private final long maxPixels;

  static {
    // Registers the TwelveMonkeys readers when the jars were added after ImageIO first scanned.
    ImageIO.scanForPlugins();
  }

  /** A decoder that refuses images above {@value #DEFAULT_MAX_PIXELS} pixels. */
  public ImageDecoder() {
    this(DEFAULT_MAX_PIXELS);
  }

  /** A decoder that refuses images above {@code maxPixels} pixels. */
  public ImageDecoder(long maxPixels) {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels + ".");
    }
    this.maxPixels = maxPixels;
  }

  /** The largest number of pixels (width × height) this decoder accepts. */
  public long maxPixels() {
    return maxPixels;
  }

  /** Decodes {@code file} into an upright 8-bit RGB image. */
  public RgbImage decode(Path file) {
    return decodeInterleaved(file).toRgb();
  }

  /** Decodes the bytes of an image file; {@code name} is used in messages. */
  public RgbImage decode(byte[] bytes, String name) {
    return decodeInterleaved(bytes, name).toRgb();
  }

  /**
   * Decoded samples, three bytes a pixel, row-major: R, G, B, or B, G, R when {@code bgr} (the
   * decoder's own {@code TYPE_3BYTE_BGR} buffer, handed on without a copy). For the preprocessor,
   * whose resampler reads either order.
   */
  record Interleaved(int width, int height, byte[] pixels, boolean bgr) {
    /** As an {@link RgbImage}: a BGR buffer is swapped in place (it is not shared). */
    RgbImage toRgb() {
      if (bgr) {
        for (int i = 0; i + 2 < pixels.length; i += 3) {
          byte b = pixels[i];
          pixels[i] = pixels[i + 2];
          pixels[i + 2] = b;
        }
      }
      return new RgbImage(width, height, pixels);
    }

    /** Turned as the EXIF orientation says (a copy unless 1 or unknown); the order is kept. */
    Interleaved oriented(int orientation) {
      if (orientation < 2 || orientation > 8) return this;
      // RgbImage's turn moves whole pixels, so it serves either byte order.
      RgbImage turned = new RgbImage(width, height, pixels).oriented(orientation);
      return new Interleaved(turned.width(), turned.height(), turned.pixels(), bgr);
    }
  }

  /** {@link #decode(Path)}, but a BGR buffer is handed on as it is. */
  Interleaved decodeInterleaved(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ImageDecodeException("Image " + file + " does not exist.", e);
    } catch (IOException e) {
      throw new ImageDecodeException("Image " + file + " could not be read: " + e.getMessage(), e);
    }
    return decodeInterleaved(bytes, file.toString());
  }

  /** {@link #decode(byte[], String)}, but a BGR buffer is handed on as it is. */
  Interleaved decodeInterleaved(byte[] bytes, String name) {
    if (bytes.length == 0) {
      throw new ImageDecodeException("Image " + name + " is empty (0 bytes).");
    }
    // Pillow (so every CLIP pipeline) ignores embedded colour profiles; the JPEG readers here would
    // convert through one (Adobe RGB: up to 55 levels apart), so the profile is not handed to them.
    bytes = JpegColour.withoutIccProfile(bytes);
    ImageReader reader = null;
    // A memory-backed stream: ImageIO.createImageInputStream would spool the bytes to a temporary
    // file.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageDecodeException(
            "File "
                + name
                + " is not an image in a format Tessera reads ("
                + bytes.length
                + " bytes starting "
                + hexStart(bytes)
                + "); supported: JPEG, PNG, GIF, BMP, WebP.");
      }
      reader = readers.next();
      reader.setInput(in, true, false);
      String format = reader.getFormatName().toLowerCase(Locale.ROOT);
      long w = reader.getWidth(0);
      long h = reader.getHeight(0);
      if (w <= 0 || h <= 0) {
        throw new ImageDecodeException(
            "Image " + name + " declares an invalid size " + w + "x" + h + ".");
      }
      String size = "Image " + name + " is " + w + "x" + h + " = " + (w * h) + " pixels";
      if (w * h > maxPixels) {
        throw new ImageDecodeException(
            size
                + ", more than the limit of "
                + maxPixels
                + " pixels; it was refused before decoding as a possible decompression bomb. "
                + "Shrink the image, or raise the limit (encoder option max_image_pixels).");
      }
      int samples = samplesPerPixel(reader);
      if (!samplesFitOneArray(w, h, samples)) {
        throw new ImageDecodeException(
            size
                + ": decoding it needs one array of "
                + (w * h * samples)
                + " samples ("
                + samples
                + " per pixel), more than the "
                + MAX_ARRAY
                + " one Java array holds (at most "
                + MAX_ARRAY / samples
                + " pixels at "
                + samples
                + " samples each). It was refused before decoding; shrink or tile the image.");
      }
      if (PngFastPath.ENABLED && format.equals("png")) {
        byte[] fast = PngFastPath.decodeRgb(bytes);
        if (fast != null) {
          return new Interleaved((int) w, (int) h, fast, false).oriented(ExifOrientation.of(bytes));
        }
      }
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      Interleaved rgb;
      if (format.contains("jpeg") && JpegColour.isCmyk(reader)) {
        RgbImage cmyk =
            JpegColour.fromCmykRaster(
                reader.readRaster(0, null), ExifOrientation.jpegHasAdobeMarker(bytes));
        rgb = new Interleaved(cmyk.width(), cmyk.height(), cmyk.pixels(), false);
      } else {
        byte[] direct = null;
        BufferedImage img = null;
        BufferedImage dest =
            format.contains("jpeg") ? rgbDestination(reader, (int) w, (int) h) : null;
        if (dest != null) {
          try {
            ImageReadParam param = reader.getDefaultReadParam();
            param.setDestination(dest);
            img = reader.read(0, param);
            if (img == dest) direct = ((DataBufferByte) dest.getRaster().getDataBuffer()).getData();
          } catch (IIOException e) {
            // A reader that refuses the destination: decode as usual (a corrupt file fails there).
            warnings.clear();
            img = null;
          }
        }
        if (img == null) img = reader.read(0);
        byte[] bgr = direct != null ? null : plainBgr(img);
        if (direct != null) {
          rgb = new Interleaved(img.getWidth(), img.getHeight(), direct, false);
        } else if (bgr != null) {
          rgb = new Interleaved(img.getWidth(), img.getHeight(), bgr, true);
        } else {
          RgbImage converted = toRgb(img, name);
          rgb = new Interleaved(converted.width(), converted.height(), converted.pixels(), false);
        }
      }
      for (String warning : warnings) {
        String lw = warning.toLowerCase(Locale.ROOT);
        if (lw.contains("premature") || lw.contains("truncat") || lw.contains("corrupt")) {
          throw new ImageDecodeException(
              "Image "
                  + name
                  + " is truncated or corrupt ("
                  + warning
                  + "); re-export or re-download it.");
        }
      }
      return rgb.oriented(ExifOrientation.of(bytes));
    } catch (ImageDecodeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodeException(
          "Image " + name + " could not be decoded, it is truncated or corrupt: " + e, e);
    } finally {
      if (reader != null) reader.dispose();
    }
  }

  /**
   * The largest array the JVM allocates: {@code Integer.MAX_VALUE - 8} elements (HotSpot keeps a
   * few words for the header), so {@code width × height × 3} above it overflows an {@code int}.
   */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;

  /** Whether {@code w × h} pixels of {@code samples} samples each fit in one Java array. */
  static boolean samplesFitOneArray(long w, long h, int samples) {
    return w * h <= MAX_ARRAY / samples;
  }

  /**
   * Samples per pixel of the reader's raster, at least the 3 of the RGB result (RGBA and CMYK
   * rasters hold 4).
   */
  private static int samplesPerPixel(ImageReader reader) throws IOException {
    ImageTypeSpecifier raw = reader.getRawImageType(0);
    int bands = raw == null ? 3 : raw.getSampleModel(1, 1).getNumBands();
    return Math.max(3, bands);
  }

  /**
   * For a colour JPEG (three samples a pixel, RGB once decoded): an empty image of R, G, B bytes in
   * that order for the reader to decode into. The reader's default {@code TYPE_3BYTE_BGR} image
   * stores B, G, R, which the JDK's JPEG reader fills by a per-pixel reordering of every scanline
   * libjpeg hands it; a destination in libjpeg's own order takes a plain array copy per line
   * instead (the samples are the same, about half the decode time on photos). Null for anything
   * else (gray, CMYK).
   */
  private static BufferedImage rgbDestination(ImageReader reader, int w, int h) throws IOException {
    ImageTypeSpecifier raw = reader.getRawImageType(0);
    if (raw == null
        || raw.getNumBands() != 3
        || raw.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_RGB
        || raw.getSampleModel(1, 1).getSampleSize(0) != 8) {
      return null;
    }
    byte[] data = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    WritableRaster raster =
        Raster.createInterleavedRaster(
            new DataBufferByte(data, data.length), w, h, w * 3, 3, new int[] {0, 1, 2}, null);
    ColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    return new BufferedImage(cm, raster, false, null);
  }

  /**
   * The image's own sample array when it is a plain {@code TYPE_3BYTE_BGR} buffer (what the JPEG
   * and PNG readers give for 8-bit colour): one bank, 3 bytes a pixel in B, G, R order, rows
   * packed, nothing before the first pixel. Otherwise null.
   */
  private static byte[] plainBgr(BufferedImage img) {
    if (img.getType() != BufferedImage.TYPE_3BYTE_BGR) return null;
    Raster r = img.getRaster();
    if (r.getMinX() != 0
        || r.getMinY() != 0
        || r.getSampleModelTranslateX() != 0
        || r.getSampleModelTranslateY() != 0
        || r.getParent() != null
        || !(r.getDataBuffer() instanceof DataBufferByte db)
        || db.getNumBanks() != 1
        || db.getOffset() != 0
        || !(r.getSampleModel() instanceof PixelInterleavedSampleModel sm)) {
      return null;
    }
    int[] offsets = sm.getBandOffsets();
    int w = img.getWidth();
    if (sm.getPixelStride() != 3
        || sm.getScanlineStride() != w * 3
        || offsets.length != 3
        || offsets[0] != 2
        || offsets[1] != 1
        || offsets[2] != 0) {
      return null;
    }
    byte[] data = db.getData();
    return data.length == (long) w * img.getHeight() * 3 ? data : null;
  }

  /**
   * Reads the samples themselves (no colour-space conversion, which Java would apply to gray
   * images).
   */
  static RgbImage toRgb(BufferedImage img, String name) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    ColorModel cm = img.getColorModel();
    Raster r = img.getRaster();
    int minX = r.getMinX();
    int minY = r.getMinY();
    int o = 0;
    if (cm instanceof IndexColorModel icm) {
      int[] sample = new int[1];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          r.getPixel(x + minX, y + minY, sample);
          out[o++] = (byte) icm.getRed(sample[0]);
          out[o++] = (byte) icm.getGreen(sample[0]);
          out[o++] = (byte) icm.getBlue(sample[0]);
        }
      }
      return new RgbImage(w, h, out);
    }
    int csType = cm.getColorSpace().getType();
    int colorBands = cm.getNumColorComponents();
    if (cm instanceof ComponentColorModel
        && (csType == ColorSpace.TYPE_GRAY || csType == ColorSpace.TYPE_RGB)) {
      int bits = cm.getComponentSize(0);
      int bands = r.getNumBands();
      int[] row = new int[w * bands]; // a row at a time: per-pixel calls cost more than the decode
      for (int y = 0; y < h; y++) {
        r.getPixels(minX, y + minY, w, 1, row);
        for (int x = 0, i = 0; x < w; x++, i += bands) {
          if (colorBands == 1) {
            int v = scale(row[i], bits, true);
            out[o++] = (byte) v;
            out[o++] = (byte) v;
            out[o++] = (byte) v;
          } else if (bits == 8) {
            out[o++] = (byte) row[i];
            out[o++] = (byte) row[i + 1];
            out[o++] = (byte) row[i + 2];
          } else {
            out[o++] = (byte) scale(row[i], bits, false);
            out[o++] = (byte) scale(row[i + 1], bits, false);
            out[o++] = (byte) scale(row[i + 2], bits, false);
          }
        }
      }
      return new RgbImage(w, h, out);
    }
    if (csType == ColorSpace.TYPE_RGB || cm.getColorSpace().isCS_sRGB()) {
      // Packed RGB (BMP, some PNGs): getRGB is exact for sRGB and drops alpha below.
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        img.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          int argb = cm.isAlphaPremultiplied() ? unpremultiply(row[x]) : row[x];
          out[o++] = (byte) (argb >> 16);
          out[o++] = (byte) (argb >> 8);
          out[o++] = (byte) argb;
        }
      }
      return new RgbImage(w, h, out);
    }
    throw new ImageDecodeException(
        "Image "
            + name
            + " uses a colour space Tessera does not convert (type "
            + csType
            + ", "
            + colorBands
            + " colour bands); convert it to RGB first.");
  }

  /**
   * One sample to 8 bits. 8 bits: as is. 16 bits: RGB keeps the high byte; gray is clipped at 255
   * (Pillow's {@code I → RGB}). 1, 2 and 4 bits: stretched to 0..255 as Pillow's unpackers do.
   */
  private static int scale(int v, int bits, boolean gray) {
    if (bits == 8) return v;
    if (bits == 16) return gray ? Math.min(v, 255) : v >> 8;
    if (bits < 8) return v * 255 / ((1 << bits) - 1);
    return Math.min(v >> (bits - 8), 255);
  }

  private static int unpremultiply(int argb) {
    int a = argb >>> 24;
    if (a == 0 || a == 255) return argb;
    int r = Math.min(255, ((argb >> 16) & 0xff) * 255 / a);
    int g = Math.min(255, ((argb >> 8) & 0xff) * 255 / a);
    int b = Math.min(255, (argb & 0xff) * 255 / a);
    return (a << 24) | (r << 16) | (g << 8) | b;
  }

  private static String hexStart(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(8, b.length); i++) s.append(String.format("%02x", b[i] & 0xff));
    return s.toString();
  }
}
