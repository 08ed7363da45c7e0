package dev.tessera.serve;

import dev.tessera.encoders.onnx.ImageDecoder;
import dev.tessera.encoders.onnx.RgbImage;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.imageio.ImageIO;

/**
 * Thumbnails made on demand with the encoder's decoder (EXIF orientation applied, pixel-bomb guard)
 * and kept in a cache folder beside the collection, keyed by the file's path, size and time, so a
 * changed picture gets a new one.
 */
final class Thumbnails {
  /** The longest side of a thumbnail, in pixels. */
  static final int SIZE = 256;

  private final Path cache;
  private final ImageDecoder decoder;

  Thumbnails(Path cache, long maxPixels) {
    this.cache = cache;
    this.decoder = new ImageDecoder(maxPixels);
  }

  /** The PNG thumbnail of {@code file} (a checked image path), from the cache or made now. */
  byte[] of(Path file) throws IOException {
    Path cached = cache.resolve(key(file) + ".png");
    if (Files.isRegularFile(cached)) return Files.readAllBytes(cached);
    byte[] png = make(decoder.decode(file));
    Files.createDirectories(cache);
    Path tmp = Files.createTempFile(cache, "thumb", ".tmp");
    try {
      Files.write(tmp, png);
      Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return png;
  }

  private static byte[] make(RgbImage rgb) {
    int w = rgb.width();
    int h = rgb.height();
    BufferedImage src = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    byte[] p = rgb.pixels();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        row[x] = (p[i] & 0xff) << 16 | (p[i + 1] & 0xff) << 8 | (p[i + 2] & 0xff);
      }
      src.setRGB(0, y, w, 1, row, 0, w);
    }
    BufferedImage img = src;
    // halve while far above the target (keeps bilinear scaling from aliasing), then scale once
    while (img.getWidth() >= 2 * SIZE && img.getHeight() >= 2 * SIZE) {
      img = scaled(img, img.getWidth() / 2, img.getHeight() / 2);
    }
    double f = Math.min(1.0, SIZE / (double) Math.max(img.getWidth(), img.getHeight()));
    if (f < 1.0) {
      img =
          scaled(
              img,
              Math.max(1, (int) Math.round(img.getWidth() * f)),
              Math.max(1, (int) Math.round(img.getHeight() * f)));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static BufferedImage scaled(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  private static String key(Path file) throws IOException {
    String k =
        file + "\n" + Files.size(file) + "\n" + Files.getLastModifiedTime(file).toMillis() + "\n";
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(k.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16) + "-" + SIZE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
