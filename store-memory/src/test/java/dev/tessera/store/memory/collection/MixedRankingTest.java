package dev.tessera.store.memory.collection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Query;
import dev.tessera.api.Similarity;
import dev.tessera.api.collection.VectorCollection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unfiltered searches of a collection holding both modalities rank them on one scale; the raw order
 * stays one option away; modality-filtered searches are untouched.
 */
class MixedRankingTest {
  private static final int DIM = 32;
  private static final int CONCEPTS = 60;
  private static final ModelFingerprint FP =
      ModelFingerprint.of("gap-test", DIM, Similarity.COSINE, true, "9".repeat(64));

  @TempDir Path tmp;
  private VectorCollection c;
  private final List<Embedding> textQueries = new ArrayList<>();

  /**
   * A concept direction each, and a strong modality offset: captions land near captions and
   * pictures near pictures, as CLIP's do.
   */
  @BeforeEach
  void fill() {
    SplittableRandom r = new SplittableRandom(11);
    float[] textSide = unitGaussian(r);
    float[] imageSide = unitGaussian(r);
    c = VectorCollection.create(tmp.resolve("c"), "memory", FP);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < CONCEPTS; i++) {
      float[] concept = unitGaussian(r);
      items.add(
          Item.text("cap-" + i, "caption " + i, Embedding.text(mix(r, concept, textSide), FP)));
      items.add(
          Item.image(
              "img-" + i, "pic" + i + ".png", Embedding.image(mix(r, concept, imageSide), FP)));
      textQueries.add(Embedding.text(mix(r, concept, textSide), FP));
    }
    c.upsert(items);
    c.commit();
  }

  private static float[] mix(SplittableRandom r, float[] concept, float[] side) {
    float[] v = new float[DIM];
    for (int d = 0; d < DIM; d++)
      v[d] = concept[d] + 1.2f * side[d] + 0.08f * (float) r.nextGaussian();
    return unit(v);
  }

  private static float[] unitGaussian(SplittableRandom r) {
    float[] v = new float[DIM];
    for (int d = 0; d < DIM; d++) v[d] = (float) r.nextGaussian();
    return unit(v);
  }

  private static float[] unit(float[] v) {
    double s = 0;
    for (float x : v) s += x * x;
    for (int d = 0; d < v.length; d++) v[d] = (float) (v[d] / Math.sqrt(s));
    return v;
  }

  @Test
  void should_rank_the_other_modality_in_by_default_and_say_so() {
    int ownImageTop5 = 0;
    int mixed = 0;
    int ceiling = 0;
    for (int i = 0; i < CONCEPTS; i++) {
      String own0 = "img-" + i;
      if (c.search(Query.of(textQueries.get(i)).k(5).only(Modality.IMAGE)).stream()
          .anyMatch(h -> h.id().equals(own0))) ceiling++;
      List<Hit> hits = c.search(Query.of(textQueries.get(i)).k(5));
      assertThat(hits)
          .hasSize(5)
          .allSatisfy(h -> assertThat(h.ranking()).isEqualTo(Hit.Ranking.CALIBRATED));
      assertThat(hits).isSortedAccordingTo(Hit.ORDER);
      String own = "img-" + i;
      if (hits.stream().anyMatch(h -> h.id().equals(own))) ownImageTop5++;
      if (hits.stream().map(Hit::modality).distinct().count() == 2) mixed++;
    }
    assertThat(ownImageTop5)
        .as("own picture in the calibrated top 5")
        .isGreaterThanOrEqualTo(CONCEPTS * 9 / 10);
    assertThat(mixed)
        .as("top-5 lists holding both modalities")
        .isGreaterThanOrEqualTo(CONCEPTS * 9 / 10);
  }

  @Test
  void should_keep_the_raw_order_one_option_away() {
    int images = 0;
    for (Embedding q : textQueries) {
      List<Hit> raw = c.search(Query.of(q).k(5).ranking(Hit.Ranking.SIMILARITY));
      assertThat(raw).allSatisfy(h -> assertThat(h.ranking()).isEqualTo(Hit.Ranking.SIMILARITY));
      assertThat(raw).extracting(Hit::score).isSortedAccordingTo((a, b) -> Float.compare(b, a));
      images += (int) raw.stream().filter(h -> h.modality() == Modality.IMAGE).count();
    }
    assertThat(images)
        .as("the modality gap: raw text queries find texts")
        .isLessThan(CONCEPTS / 10);
  }

  @Test
  void should_leave_modality_filtered_searches_and_the_order_within_a_modality_unchanged() {
    for (Embedding q : textQueries) {
      List<Hit> pictures = c.search(Query.of(q).k(10).only(Modality.IMAGE));
      assertThat(pictures)
          .allSatisfy(h -> assertThat(h.ranking()).isEqualTo(Hit.Ranking.SIMILARITY));
      List<Hit> calibrated = c.search(Query.of(q).k(40));
      List<String> imagesInCalibratedOrder =
          calibrated.stream().filter(h -> h.modality() == Modality.IMAGE).map(Hit::id).toList();
      List<String> filtered =
          c.search(Query.of(q).k(imagesInCalibratedOrder.size()).only(Modality.IMAGE)).stream()
              .map(Hit::id)
              .toList();
      assertThat(imagesInCalibratedOrder).isEqualTo(filtered);
      assertThat(
              calibrated.stream()
                  .filter(h -> h.modality() == Modality.IMAGE)
                  .findFirst()
                  .orElseThrow()
                  .score())
          .as("a calibrated hit keeps its raw similarity as its score")
          .isEqualTo(pictures.get(0).score());
    }
  }

  @Test
  void should_apply_metadata_filters_inside_both_modalities() {
    c.upsert(c.get("img-3").orElseThrow().with("album", "x"));
    c.upsert(c.get("cap-7").orElseThrow().with("album", "x"));
    List<Hit> hits =
        c.search(Query.of(textQueries.get(3)).k(10).where(Filter.where("album").eq("x")));
    assertThat(hits).extracting(Hit::id).containsExactlyInAnyOrder("img-3", "cap-7");
  }

  @Test
  void should_fall_back_to_the_raw_order_while_a_modality_has_too_few_records() {
    VectorCollection small = VectorCollection.create(tmp.resolve("small"), "memory", FP);
    small.upsert(Item.of("only-image", Embedding.image(textQueries.get(0).vector(), FP)));
    for (int i = 0; i < 20; i++) small.upsert(Item.of("t" + i, textQueries.get(i)));
    assertThat(small.search(Query.of(textQueries.get(1)).k(3)))
        .allSatisfy(h -> assertThat(h.ranking()).isEqualTo(Hit.Ranking.SIMILARITY));
    small.close();
  }
}
