package dev.tessera.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.Modality;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The CLIP-like generator is reproducible, normalized and really has a modality gap. */
class ClipLikeVectorsTest {
  static final long SEED = 42;

  @Test
  void should_draw_pairs_that_share_the_chosen_part_of_their_noise() {
    ClipLikeVectors g = new ClipLikeVectors(7, 64, 5, 0.0, 0.8);
    for (ClipLikeVectors.ClassedPair p : g.pairs(20, 1, 1.0)) {
      assertThat(p.image()).as("all noise shared, no gap: one vector").containsExactly(p.text());
      assertThat(p.cluster()).isBetween(0, 4);
    }
    double loose = 0;
    double tight = 0;
    for (int i = 0; i < 50; i++) {
      loose += dot(g.withGap(0.5).pairs(50, 1, 0.2).get(i));
      tight += dot(g.withGap(0.5).pairs(50, 1, 0.9).get(i));
    }
    assertThat(tight).as("more shared noise, closer pairs").isGreaterThan(loose);
    assertThat(g.pairs(3, 1, 0.6).get(2).image())
        .as("seeded")
        .containsExactly(g.pairs(3, 1, 0.6).get(2).image());
    assertThatThrownBy(() -> g.pairs(1, 1, 1.5)).hasMessageContaining("1.5");
  }

  private static double dot(ClipLikeVectors.ClassedPair p) {
    double s = 0;
    for (int d = 0; d < p.image().length; d++) s += p.image()[d] * p.text()[d];
    return s;
  }

  @Test
  void should_give_the_same_unit_vectors_for_the_same_seed_and_stream() {
    float[][] a = ClipLikeVectors.defaults(SEED).vectors(50, 0);
    float[][] b = ClipLikeVectors.defaults(SEED).vectors(50, 0);
    float[][] other = ClipLikeVectors.defaults(SEED).vectors(50, 1);
    assertThat(a).isDeepEqualTo(b);
    assertThat(a[0]).isNotEqualTo(other[0]);
    for (float[] v : a) assertThat(norm(v)).isCloseTo(1.0, Offset.offset(1e-5));
  }

  @Test
  void should_put_texts_and_images_on_two_islands_unless_the_gap_is_zero() {
    // given the mean cosine between vectors of the same modality and of different modalities
    double[] withGap = meanCosines(ClipLikeVectors.defaults(SEED));
    double[] noGap = meanCosines(ClipLikeVectors.defaults(SEED).withoutGap());
    System.out.printf(
        "seed=%d same-modality/cross-modality mean cosine: gap %.3f/%.3f, no gap %.3f/%.3f%n",
        SEED, withGap[0], withGap[1], noGap[0], noGap[1]);
    // then the gap pulls each modality together and the two apart; without it they mix
    assertThat(withGap[0] - withGap[1]).as("same minus cross, with the gap").isGreaterThan(0.3);
    assertThat(Math.abs(noGap[0] - noGap[1]))
        .as("same minus cross, without the gap")
        .isLessThan(0.05);
  }

  @Test
  void should_widen_the_gap_when_the_offset_grows() {
    // given the same data with the default offset and with twice its length
    double[] normal = meanCosines(ClipLikeVectors.defaults(SEED));
    double[] wide = meanCosines(ClipLikeVectors.defaults(SEED).withGap(2.0));
    // then the two modalities lie further apart, and the offset is the only parameter that changed
    assertThat(wide[0] - wide[1])
        .as("same minus cross, gap 2")
        .isGreaterThan(normal[0] - normal[1]);
    assertThat(ClipLikeVectors.defaults(SEED).withGap(2.0))
        .isEqualTo(new ClipLikeVectors(SEED, 512, 100, 2.0, 0.8));
  }

  @Test
  void should_make_pairs_closer_to_each_other_than_to_other_contents_once_the_gap_is_removed() {
    // given pairs without the gap, and with it
    var flat = ClipLikeVectors.defaults(SEED).withoutGap().pairs(200, 0);
    var gapped = ClipLikeVectors.defaults(SEED).pairs(200, 0);
    double pairFlat = 0, otherFlat = 0, pairGap = 0;
    for (int i = 0; i < 200; i++) {
      pairFlat += dot(flat.get(i).image(), flat.get(i).text());
      otherFlat += dot(flat.get(i).image(), flat.get((i + 1) % 200).text());
      pairGap += dot(gapped.get(i).image(), gapped.get(i).text());
    }
    // then an image and its caption share their content, and the gap pulls them apart
    assertThat(pairFlat / 200).as("pair cosine, no gap").isGreaterThan(otherFlat / 200 + 0.3);
    assertThat(pairGap).as("pair cosine with the gap is lower").isLessThan(pairFlat - 0.2 * 200);
    assertThat(ClipLikeVectors.defaults(SEED).pairs(3, 0).get(2).text())
        .containsExactly(ClipLikeVectors.defaults(SEED).pairs(3, 0).get(2).text());
  }

  @Test
  void should_build_records_with_the_vectors_modalities_and_fingerprint_of_the_stream() {
    ClipLikeVectors gen = new ClipLikeVectors(SEED, 16, 4, 1.0, 0.8);
    var items = gen.items("r", 3, 1);
    float[][] v = gen.vectors(3, 1);
    assertThat(items).extracting(i -> i.id()).containsExactly("r0", "r1", "r2");
    assertThat(items.get(1).embedding().vector()).containsExactly(v[1]);
    assertThat(items.get(1).modality()).isEqualTo(Modality.TEXT);
    assertThat(items.get(2).embedding().fingerprint()).isEqualTo(gen.fingerprint());
  }

  @Test
  void should_alternate_modalities_and_refuse_bad_parameters() {
    assertThat(ClipLikeVectors.modalityOf(0)).isEqualTo(Modality.IMAGE);
    assertThat(ClipLikeVectors.modalityOf(1)).isEqualTo(Modality.TEXT);
    assertThat(ClipLikeVectors.defaults(SEED).sample(4, 0))
        .extracting(ClipLikeVectors.Sample::modality)
        .containsExactly(Modality.IMAGE, Modality.TEXT, Modality.IMAGE, Modality.TEXT);
    assertThatThrownBy(() -> new ClipLikeVectors(1, 1, 10, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Need dimension >= 2, clusters >= 1, gap >= 0 and spread >= 0, got dimension=1,"
                + " clusters=10, gap=1.0, spread=1.0.");
  }

  private static double[] meanCosines(ClipLikeVectors gen) {
    float[][] v = gen.vectors(400, 0);
    double same = 0, cross = 0;
    int ns = 0, nc = 0;
    for (int i = 0; i < v.length; i++) {
      for (int j = i + 1; j < v.length; j++) {
        double dot = 0;
        for (int d = 0; d < v[i].length; d++) dot += v[i][d] * v[j][d];
        if ((i % 2) == (j % 2)) {
          same += dot;
          ns++;
        } else {
          cross += dot;
          nc++;
        }
      }
    }
    return new double[] {same / ns, cross / nc};
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int d = 0; d < a.length; d++) s += a[d] * b[d];
    return s;
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) s += x * x;
    return Math.sqrt(s);
  }
}
