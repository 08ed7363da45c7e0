package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The resampler against Pillow's own output ({@code layouts/resize}, written by
 * make_layout_fixtures.py).
 */
class PilResamplerTest {

  @Test
  void should_reproduce_pillow_byte_for_byte_for_every_filter_down_and_up() throws IOException {
    Path dir = Fixtures.layouts().resolve("resize");
    RgbImage src = new ImageDecoder().decode(dir.resolve("source.png"));
    int cases = 0;
    for (JsonElement e :
        JsonParser.parseString(Files.readString(dir.resolve("cases.json"))).getAsJsonArray()) {
      JsonObject c = e.getAsJsonObject();
      int w = c.get("width").getAsInt();
      int h = c.get("height").getAsInt();
      byte[] expected = Files.readAllBytes(dir.resolve(c.get("file").getAsString()));
      byte[] actual =
          PilResampler.resize(
              src.pixels(),
              src.width(),
              src.height(),
              3,
              w,
              h,
              PilResampler.Filter.ofCode(c.get("filter").getAsInt()));
      int maxDiff = 0;
      for (int i = 0; i < expected.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs((expected[i] & 0xff) - (actual[i] & 0xff)));
      assertThat(maxDiff).as("max difference to Pillow for %s", c).isZero();
      cases++;
    }
    assertThat(cases).isEqualTo(20);
  }

  @Test
  void should_give_the_full_resize_inside_a_region_from_rgb_and_from_bgr_sources() {
    java.util.Random rnd = new java.util.Random(3);
    int w = 97;
    int h = 61;
    byte[] rgb = new byte[w * h * 3];
    rnd.nextBytes(rgb);
    byte[] bgr = new byte[rgb.length];
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    int[][] sizes = {{40, 25}, {97, 30}, {50, 61}, {97, 61}, {150, 90}};
    int checked = 0;
    for (PilResampler.Filter filter : PilResampler.Filter.values()) {
      for (int[] size : sizes) {
        int ow = size[0];
        int oh = size[1];
        byte[] full = PilResampler.resize(rgb, w, h, 3, ow, oh, filter);
        for (int[] r : new int[][] {{0, 0, ow, oh}, {3, 5, ow - 7, oh - 9}, {ow - 1, 0, 1, oh}}) {
          for (int variant = 0; variant < 4; variant++) {
            boolean fromBgr = (variant & 1) != 0;
            boolean vector = (variant & 2) != 0;
            byte[] region =
                PilResampler.resize(
                    fromBgr ? bgr : rgb,
                    w,
                    h,
                    3,
                    fromBgr,
                    ow,
                    oh,
                    filter,
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    vector);
            byte[] expected = new byte[r[2] * r[3] * 3];
            for (int y = 0; y < r[3]; y++) {
              System.arraycopy(
                  full, ((y + r[1]) * ow + r[0]) * 3, expected, y * r[2] * 3, r[2] * 3);
            }
            assertThat(region)
                .as(
                    "%s %dx%d region %s bgr=%s vector=%s",
                    filter, ow, oh, java.util.Arrays.toString(r), fromBgr, vector)
                .isEqualTo(expected);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(5 * 5 * 3 * 4);
    assertThat(PilResampler.VECTOR).as("the tests run with jdk.incubator.vector").isTrue();
    assertThatThrownBy(
            () ->
                PilResampler.resize(
                    rgb, w, h, 3, false, 40, 25, PilResampler.Filter.BOX, 30, 0, 11, 25))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not inside 40x25");
  }

  @Test
  void should_copy_when_the_size_does_not_change_and_refuse_nearest() {
    byte[] px = {1, 2, 3, 4, 5, 6};
    assertThat(PilResampler.resize(px, 2, 1, 3, 2, 1, PilResampler.Filter.BICUBIC))
        .containsExactly(px)
        .isNotSameAs(px);
    assertThatThrownBy(() -> PilResampler.Filter.ofCode(0))
        .hasMessageContaining("Resample mode 0 is not supported");
  }
}
