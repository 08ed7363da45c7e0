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
  void should_copy_when_the_size_does_not_change_and_refuse_nearest() {
    byte[] px = {1, 2, 3, 4, 5, 6};
    assertThat(PilResampler.resize(px, 2, 1, 3, 2, 1, PilResampler.Filter.BICUBIC))
        .containsExactly(px)
        .isNotSameAs(px);
    assertThatThrownBy(() -> PilResampler.Filter.ofCode(0))
        .hasMessageContaining("Resample mode 0 is not supported");
  }
}
