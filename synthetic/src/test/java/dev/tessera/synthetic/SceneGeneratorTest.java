package dev.tessera.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scene generator draws what its captions say, the same way for the same seed. */
class SceneGeneratorTest {
  @Test
  void should_give_the_same_pictures_for_the_same_seed_and_cycle_the_shapes() {
    List<SceneGenerator.Picture> a = SceneGenerator.pictures(7, 20);
    assertThat(a).isEqualTo(SceneGenerator.pictures(7, 20));
    assertThat(a).isNotEqualTo(SceneGenerator.pictures(8, 20));
    for (int i = 0; i < a.size(); i++) {
      SceneGenerator.Picture p = a.get(i);
      assertThat(p.scene().shape()).isEqualTo(SceneGenerator.SHAPES.get(i % 8));
      assertThat(p.width()).isBetween(80, 128).matches(w -> w % 8 == 0);
      assertThat(p.height()).isBetween(80, 128).matches(h -> h % 8 == 0);
    }
  }

  @Test
  void should_draw_the_captioned_colour_at_the_centre_on_the_captioned_background() {
    // given a large red square in the middle of a white picture
    SceneGenerator.Scene s = new SceneGenerator.Scene("square", "red", "white", "large", .5, .5);
    BufferedImage img = SceneGenerator.draw(s, 96, 96);
    // then its caption says so, the centre is the shape's colour and a corner the background's
    assertThat(s.caption()).isEqualTo("a large red square on a white background");
    assertThat(img.getRGB(48, 48) & 0xFFFFFF)
        .isEqualTo(SceneGenerator.COLOURS.get("red").getRGB() & 0xFFFFFF);
    assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    // a ring's hole shows the background
    BufferedImage ring =
        SceneGenerator.draw(
            new SceneGenerator.Scene("ring", "blue", "black", "large", .5, .5), 96, 96);
    assertThat(ring.getRGB(48, 48) & 0xFFFFFF).isZero();
    assertThat(new SceneGenerator.Scene("ring", "orange", "gray", "small", 0, 0).caption())
        .isEqualTo("a small orange ring on a gray background");
  }

  @Test
  void should_refuse_a_name_outside_the_vocabulary_and_list_the_known_ones() {
    assertThatThrownBy(() -> new SceneGenerator.Scene("stripe", "red", "white", "large", 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Unknown scene stripe/red/white/large; shapes are [circle,");
  }
}
