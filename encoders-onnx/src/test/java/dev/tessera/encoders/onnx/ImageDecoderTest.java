package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding, conversion to RGB, EXIF orientation and the refusals, on images written here. */
class ImageDecoderTest {
  @TempDir Path tmp;

  @Test
  void should_read_gray_samples_as_stored_without_colour_management() throws IOException {
    BufferedImage g = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 255});
    Path f = write(g, "png", "gray.png");
    RgbImage rgb = new ImageDecoder().decode(f);
    // Java's getRGB would gamma-convert 100 to about 170; Pillow keeps 100.
    assertThat(rgb.pixels()).containsExactly(0, 0, 0, 100, 100, 100, -1, -1, -1);
  }

  @Test
  void should_drop_alpha_keeping_the_stored_colour() throws IOException {
    BufferedImage a = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    a.setRGB(0, 0, 0x00FF0000); // fully transparent red
    a.setRGB(1, 0, 0x8000FF00); // half transparent green
    RgbImage rgb = new ImageDecoder().decode(write(a, "png", "alpha.png"));
    assertThat(rgb.get(0, 0, 0)).isEqualTo(255);
    assertThat(rgb.get(1, 0, 1)).isEqualTo(255);
  }

  @Test
  void should_read_gif_bmp_and_jpeg() throws IOException {
    BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 6; y++)
      for (int x = 0; x < 8; x++) img.setRGB(x, y, x < 4 ? 0xFF0000 : 0x0000FF);
    for (String fmt : new String[] {"gif", "bmp", "jpeg"}) {
      RgbImage rgb = new ImageDecoder().decode(write(img, fmt, "img." + fmt));
      assertThat(rgb.width()).as(fmt).isEqualTo(8);
      assertThat(rgb.get(1, 1, 0)).as(fmt + " red left").isGreaterThan(200);
      assertThat(rgb.get(6, 1, 2)).as(fmt + " blue right").isGreaterThan(200);
    }
  }

  @Test
  void should_decode_colour_jpeg_and_png_straight_to_rgb_and_hand_on_a_bmp_bgr_buffer_unchanged()
      throws IOException {
    BufferedImage img = new BufferedImage(9, 5, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 5; y++)
      for (int x = 0; x < 9; x++) img.setRGB(x, y, (x * 28) << 16 | (y * 50) << 8 | (255 - x * 20));
    for (String fmt : new String[] {"jpeg", "png", "bmp"}) {
      Path f = write(img, fmt, "bgr." + fmt);
      ImageDecoder.Interleaved raw = new ImageDecoder().decodeInterleaved(f);
      RgbImage rgb = new ImageDecoder().decode(f);
      // JPEG: decoded into an R, G, B destination; PNG: by PngFastPath, R, G, B; BMP: the
      // reader's TYPE_3BYTE_BGR buffer as is.
      assertThat(raw.bgr()).as(fmt).isEqualTo(fmt.equals("bmp"));
      byte[] asRgb = raw.pixels().clone();
      if (raw.bgr()) {
        for (int i = 0; i < asRgb.length; i += 3) {
          asRgb[i] = raw.pixels()[i + 2];
          asRgb[i + 2] = raw.pixels()[i];
        }
      }
      assertThat(asRgb).as(fmt).isEqualTo(rgb.pixels());
      assertThat(rgb.get(8, 0, 0)).as(fmt + " red of the last column").isGreaterThan(150);
      assertThat(rgb.get(8, 0, 2)).as(fmt + " blue of the last column").isLessThan(150);
      // The JDK's default decode (TYPE_3BYTE_BGR) gives the same samples.
      BufferedImage ref = ImageIO.read(f.toFile());
      for (int y = 0; y < 5; y++)
        for (int x = 0; x < 9; x++) {
          int argb = ref.getRGB(x, y);
          assertThat(new int[] {rgb.get(x, y, 0), rgb.get(x, y, 1), rgb.get(x, y, 2)})
              .as("%s pixel %d,%d", fmt, x, y)
              .containsExactly((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff);
        }
    }
  }

  @Test
  void should_apply_the_exif_orientation() throws IOException {
    BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 20; y++)
      for (int x = 0; x < 40; x++) img.setRGB(x, y, x < 20 ? 0xFFFFFF : 0x000000);
    byte[] jpeg = Files.readAllBytes(write(img, "jpeg", "plain.jpg"));
    Path rotated = tmp.resolve("rotated.jpg");
    Files.write(rotated, withExifOrientation(jpeg, 6));
    RgbImage rgb = new ImageDecoder().decode(rotated);
    // Orientation 6: turn 90° clockwise to display; the white left half ends up on top.
    assertThat(rgb.width()).isEqualTo(20);
    assertThat(rgb.height()).isEqualTo(40);
    assertThat(rgb.get(10, 5, 0)).isGreaterThan(200);
    assertThat(rgb.get(10, 35, 0)).isLessThan(50);
  }

  @Test
  void should_refuse_a_decompression_bomb_from_its_header() throws IOException {
    // Claim 20000 x 20000 in the IHDR chunk: 400 M pixels, never decoded.
    Path bomb = pngClaiming(20000, 20000, "bomb.png");
    assertThatThrownBy(() -> new ImageDecoder().decode(bomb))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining(
            "bomb.png is 20000x20000 = 400000000 pixels, more than the limit of 89478485 pixels");
    // The limit is configurable.
    Path small = write(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB), "png", "small.png");
    assertThatThrownBy(() -> new ImageDecoder(399).decode(small))
        .hasMessageContaining("400 pixels, more than the limit of 399");
    assertThat(new ImageDecoder(400).decode(small).width()).isEqualTo(20);
  }

  @Test
  void should_refuse_from_its_header_an_image_larger_than_one_java_array_when_the_limit_is_raised()
      throws IOException {
    // 40000 x 40000 = 1.6 G pixels: 4.8 G bytes of RGB, more than one Java array holds, so with
    // the pixel limit raised it must be refused by size, not reported as a corrupt file.
    Path huge = pngClaiming(40000, 40000, "huge.png");
    assertThatThrownBy(() -> new ImageDecoder(2_000_000_000L).decode(huge))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("huge.png is 40000x40000 = 1600000000 pixels")
        .hasMessageContaining("4800000000 samples")
        .hasMessageContaining("2147483639")
        .hasMessageContaining("715827879 pixels")
        .hasMessageNotContaining("corrupt");
    // The boundary: 715,827,879 RGB pixels fit in one array, one more does not.
    Path wide = pngClaiming(715_827_880, 1, "wide.png");
    assertThatThrownBy(() -> new ImageDecoder(2_000_000_000L).decode(wide))
        .hasMessageContaining("wide.png is 715827880x1 = 715827880 pixels");
    assertThat(ImageDecoder.samplesFitOneArray(715_827_879L, 1, 3)).isTrue();
    assertThat(ImageDecoder.samplesFitOneArray(715_827_880L, 1, 3)).isFalse();
  }

  @Test
  void should_name_the_file_when_it_is_truncated_empty_or_not_an_image() throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++)
      for (int x = 0; x < 64; x++) img.setRGB(x, y, (x * 7919 + y * 104729) & 0xFFFFFF);
    for (String fmt : new String[] {"png", "jpeg"}) {
      byte[] full = Files.readAllBytes(write(img, fmt, "full." + fmt));
      Path cut = tmp.resolve("cut." + fmt);
      Files.write(cut, Arrays.copyOf(full, full.length / 2));
      assertThatThrownBy(() -> new ImageDecoder().decode(cut))
          .as(fmt)
          .isInstanceOf(ImageDecodeException.class)
          .hasMessageContaining("cut." + fmt)
          .hasMessageContaining("truncated or corrupt");
    }
    Path empty = Files.createFile(tmp.resolve("empty.png"));
    assertThatThrownBy(() -> new ImageDecoder().decode(empty))
        .hasMessageContaining("empty.png is empty (0 bytes)");
    Path text = Files.writeString(tmp.resolve("readme.jpg"), "hello");
    assertThatThrownBy(() -> new ImageDecoder().decode(text))
        .hasMessageContaining("readme.jpg is not an image");
  }

  @Test
  void should_decode_every_mode_and_format_like_pillow() throws IOException {
    Path dir = Fixtures.layouts().resolve("decode");
    int checked = 0;
    StringBuilder report = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> !p.toString().endsWith(".rgb")).sorted().toList()) {
        byte[] ref = Files.readAllBytes(Path.of(f + ".rgb"));
        java.nio.ByteBuffer bb =
            java.nio.ByteBuffer.wrap(ref).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int w = bb.getInt();
        int h = bb.getInt();
        RgbImage rgb = new ImageDecoder().decode(f);
        String name = f.getFileName().toString();
        assertThat(rgb.width()).as(name + " width").isEqualTo(w);
        assertThat(rgb.height()).as(name + " height").isEqualTo(h);
        int max = 0;
        for (int i = 0; i < rgb.pixels().length; i++)
          max = Math.max(max, Math.abs((rgb.pixels()[i] & 0xff) - (ref[8 + i] & 0xff)));
        report.append(name).append('=').append(max).append(' ');
        // Lossless formats decode exactly; JPEG decoders differ by a level or two; the lossy WebP
        // decoder
        // (TwelveMonkeys) upsamples chroma more simply than libwebp: up to 16 levels at sharp
        // colour edges.
        int allowed = name.endsWith(".jpg") ? 4 : name.equals("lossy.webp") ? 16 : 0;
        assertThat(max).as("max difference to Pillow for " + name).isLessThanOrEqualTo(allowed);
        checked++;
      }
    }
    System.out.println("Decoder vs Pillow, max per-channel difference: " + report);
    assertThat(checked).isEqualTo(18);
  }

  private Path write(BufferedImage img, String format, String name) throws IOException {
    Path f = tmp.resolve(name);
    assertThat(ImageIO.write(img, format, f.toFile())).as("a writer for " + format).isTrue();
    return f;
  }

  /** Inserts an APP1 EXIF segment holding only the orientation tag after the SOI marker. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    ByteArrayOutputStream tiff = new ByteArrayOutputStream();
    byte[] t = {
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8,
      0,
      1,
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      (byte) orientation,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0
    };
    tiff.writeBytes(t);
    byte[] body = tiff.toByteArray();
    int len = 2 + 6 + body.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    out.write(0xFF);
    out.write(0xE1);
    out.write(len >> 8);
    out.write(len & 0xff);
    out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    out.writeBytes(body);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** A one-pixel RGB PNG whose IHDR chunk claims {@code w x h} (with its CRC fixed). */
  private Path pngClaiming(int w, int h, String name) throws IOException {
    BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    byte[] png = Files.readAllBytes(write(img, "png", "one-" + name));
    putInt(png, 16, w);
    putInt(png, 20, h);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    putInt(png, 29, (int) crc.getValue());
    Path file = tmp.resolve(name);
    Files.write(file, png);
    return file;
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
