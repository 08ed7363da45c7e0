package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The direct PNG path gives exactly the samples ImageIO and Pillow read, or steps aside. */
class PngFastPathTest {

  @ParameterizedTest(name = "colour type {0}")
  @ValueSource(ints = {0, 2, 4, 6})
  void should_undo_every_filter_on_every_row_like_imageio(int colorType) throws IOException {
    long seed = 17L * colorType + 3;
    Random rnd = new Random(seed);
    int w = 37; // odd, so rows do not line up with any vector width
    int h = 11; // rows 0..4 each start a cycle of the five filters, the first row included
    int channels = colorType == 0 ? 1 : colorType == 2 ? 3 : colorType == 4 ? 2 : 4;
    byte[] samples = new byte[w * h * channels];
    for (int i = 0; i < samples.length; i++) {
      // smooth ramps plus noise, so Average and Paeth pick each of their three predictors
      samples[i] = (byte) ((i % (w * channels)) * 5 + rnd.nextInt(40));
    }
    for (int first = 0; first < 5; first++) {
      byte[] png = png(samples, w, h, colorType, first);
      byte[] fast = PngFastPath.decodeRgb(png);
      assertThat(fast).as("seed %d, first filter %d", seed, first).isNotNull();
      assertThat(fast).as("seed %d, first filter %d", seed, first).isEqualTo(imageIoRgb(png, w, h));
      byte[] expected = new byte[w * h * 3];
      for (int p = 0; p < w * h; p++) {
        for (int c = 0; c < 3; c++) {
          expected[3 * p + c] = samples[p * channels + (channels < 3 ? 0 : c)];
        }
      }
      assertThat(fast)
          .as("the samples written, gray replicated, alpha dropped")
          .isEqualTo(expected);
    }
  }

  @Test
  void should_step_aside_for_palette_16_bit_interlaced_and_broken_files() throws IOException {
    byte[] rgb = png(new byte[4 * 3 * 3], 4, 3, 2, 0);
    assertThat(PngFastPath.decodeRgb(rgb)).isNotNull();
    byte[] palette = rgb.clone();
    palette[25] = 3;
    assertThat(PngFastPath.decodeRgb(palette)).as("palette").isNull();
    byte[] deep = rgb.clone();
    deep[24] = 16;
    assertThat(PngFastPath.decodeRgb(deep)).as("16-bit").isNull();
    byte[] interlaced = rgb.clone();
    interlaced[28] = 1;
    assertThat(PngFastPath.decodeRgb(interlaced)).as("interlaced").isNull();
    byte[] cut = java.util.Arrays.copyOf(rgb, rgb.length - 20);
    assertThat(PngFastPath.decodeRgb(cut)).as("truncated").isNull();
    byte[] badFilter = png(new byte[4 * 3 * 3], 4, 3, 2, 5);
    assertThat(PngFastPath.decodeRgb(badFilter)).as("filter type 5").isNull();
  }

  /**
   * The committed real photos that are PNGs decode to exactly Pillow's {@code convert("RGB")}
   * samples (SHA-256 written by {@code tools/copy_bench_photos.py}).
   */
  @Test
  void should_decode_the_real_photos_exactly_as_pillow() throws Exception {
    Path dir = Path.of(PngFastPathTest.class.getResource("/bench/photos").toURI());
    Map<String, String> pillow = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dir.resolve("pillow_rgb.sha256"))) {
      String[] f = line.split("\\s+");
      pillow.put(f[1], f[0]);
    }
    int pngs = 0;
    for (Map.Entry<String, String> e : pillow.entrySet()) {
      if (!e.getKey().endsWith(".png")) continue;
      byte[] bytes = Files.readAllBytes(dir.resolve(e.getKey()));
      assertThat(PngFastPath.decodeRgb(bytes))
          .as(e.getKey() + " takes the direct path")
          .isNotNull();
      RgbImage img = new ImageDecoder().decode(dir.resolve(e.getKey()));
      String sha =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(img.pixels()));
      assertThat(sha).as(e.getKey()).isEqualTo(e.getValue());
      pngs++;
    }
    assertThat(pngs).isEqualTo(6);
  }

  private static byte[] imageIoRgb(byte[] png, int w, int h) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    byte[] out = new byte[w * h * 3];
    var raster = img.getRaster();
    int bands = raster.getNumBands();
    int[] px = new int[bands];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.getPixel(x, y, px);
        for (int c = 0; c < 3; c++) out[3 * (y * w + x) + c] = (byte) px[bands < 3 ? 0 : c];
      }
    }
    return out;
  }

  /** An 8-bit PNG of {@code samples}; row y is filtered with type {@code (first + y) % 5}. */
  private static byte[] png(byte[] samples, int w, int h, int colorType, int first) {
    int bpp = colorType == 0 ? 1 : colorType == 2 ? 3 : colorType == 4 ? 2 : 4;
    int stride = w * bpp;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (int y = 0; y < h; y++) {
      int type = first == 5 ? 5 : (first + y) % 5;
      raw.write(type);
      for (int i = 0; i < stride; i++) {
        int x = samples[y * stride + i] & 0xff;
        int a = i >= bpp ? samples[y * stride + i - bpp] & 0xff : 0;
        int b = y > 0 ? samples[(y - 1) * stride + i] & 0xff : 0;
        int c = i >= bpp && y > 0 ? samples[(y - 1) * stride + i - bpp] & 0xff : 0;
        int pred =
            switch (type) {
              case 1 -> a;
              case 2 -> b;
              case 3 -> (a + b) / 2;
              case 4 -> {
                int p = a + b - c;
                int pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
                yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
              }
              default -> 0;
            };
        raw.write((x - pred) & 0xff);
      }
    }
    Deflater d = new Deflater();
    d.setInput(raw.toByteArray());
    d.finish();
    byte[] buf = new byte[raw.size() * 2 + 64];
    int n = d.deflate(buf);
    d.end();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    byte[] ihdr = new byte[13];
    put(ihdr, 0, w);
    put(ihdr, 4, h);
    ihdr[8] = 8;
    ihdr[9] = (byte) colorType;
    chunk(out, "IHDR", ihdr, ihdr.length);
    // Two IDAT chunks: the image data may be split anywhere.
    byte[] first1 = java.util.Arrays.copyOf(buf, n / 2);
    byte[] second = java.util.Arrays.copyOfRange(buf, n / 2, n);
    chunk(out, "IDAT", first1, first1.length);
    chunk(out, "IDAT", second, second.length);
    chunk(out, "IEND", new byte[0], 0);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int len) {
    byte[] head = new byte[8];
    put(head, 0, len);
    System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, head, 4, 4);
    out.writeBytes(head);
    out.write(data, 0, len);
    CRC32 crc = new CRC32();
    crc.update(head, 4, 4);
    crc.update(data, 0, len);
    byte[] c = new byte[4];
    put(c, 0, (int) crc.getValue());
    out.writeBytes(c);
  }

  private static void put(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
