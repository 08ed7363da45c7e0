package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Embedding;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Query;
import dev.tessera.api.Similarity;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.synthetic.ClipLikeVectors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kit, part: what the api's ranking of both modalities on one scale needs from a store ({@link
 * VectorStore#sample}: at most n live vectors of one modality, deterministic) and that it works end
 * to end on the store: an unfiltered query finds the paired record of the other modality.
 */
abstract class ModalityContract extends FilteredRecallContract {
  ModalityContract() {}

  @Test
  void should_sample_at_most_n_live_vectors_of_one_modality_the_same_way_for_the_same_state()
      throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    // given 60 images and 60 texts, then deletes, replaces and a text that becomes an image
    List<Item> items = randomItems(rnd, "r", 120, SMALL);
    store.upsert(items);
    store.commit();
    Map<String, Item> live = new LinkedHashMap<>();
    for (Item it : items) live.put(it.id(), it);
    List<Item> gone = new ArrayList<>();
    List<String> deleted = List.of("r0", "r2", "r4", "r1", "r3");
    for (String id : deleted) gone.add(live.remove(id));
    store.delete(deleted);
    Item replacedImage = item("r6", randomVector(rnd, 8), SMALL, Modality.IMAGE);
    Item textNowImage = item("r7", randomVector(rnd, 8), SMALL, Modality.IMAGE);
    gone.add(live.put("r6", replacedImage));
    gone.add(live.put("r7", textNowImage));
    store.upsert(List.of(replacedImage, textNowImage));
    store.commit();
    for (Modality m : Modality.values()) {
      Map<String, float[]> ofModality = new LinkedHashMap<>();
      for (Item it : live.values())
        if (it.modality() == m) ofModality.put(it.id(), it.embedding().vector());
      int have = ofModality.size();
      for (int n : new int[] {1, 7, have - 1, have, have + 10}) {
        String why =
            ctx(seed) + "sample(" + m.id() + ", " + n + ") of " + have + " live " + m.id() + "s";
        List<float[]> sample = store.sample(m, n);
        // then it holds min(n, have) vectors, each a different live record of that modality
        assertThat(sample)
            .as(why + ": size (VectorStore#sample: up to n, fewer only when fewer exist)")
            .hasSize(Math.min(n, have));
        Set<String> ids = new HashSet<>();
        for (float[] v : sample) {
          String id = recordOf(v, ofModality);
          assertThat(id)
              .as(
                  why
                      + ": a sampled vector that is no live "
                      + m.id()
                      + " record's vector"
                      + (recordOf(v, vectors(gone)) != null ? " (a deleted or replaced one)" : ""))
              .isNotNull();
          assertThat(ids.add(id)).as(why + ": record '" + id + "' sampled twice").isTrue();
        }
        // and the same state gives the same sample
        Set<String> again = new HashSet<>();
        for (float[] v : store.sample(m, n)) again.add(recordOf(v, ofModality));
        assertThat(again).as(why + ": asked twice").isEqualTo(ids);
      }
    }
    // a modality with no live record gives an empty sample
    VectorStore texts = createStore(tempDir.resolve("t"), SMALL);
    texts.upsert(List.of(item("t", randomVector(rnd, 8), SMALL, Modality.TEXT)));
    texts.commit();
    assertThat(texts.sample(Modality.IMAGE, 5)).as(ctx(seed) + "sample of no images").isEmpty();
  }

  @ParameterizedTest(name = "gap={0}")
  @ValueSource(doubles = {1.0, 2.0})
  void should_find_the_paired_record_of_the_other_modality_in_an_unfiltered_calibrated_search(
      double gap) throws IOException {
    long seed = printSeed();
    // given pictures and their captions on either side of a CLIP-like modality gap (the default
    // one, and one twice as wide), in one collection
    ClipLikeVectors gen = ClipLikeVectors.defaults(seed).withGap(gap);
    ModelFingerprint fp = gen.fingerprint();
    int pairs = Math.max(200, recallCorpusSize() / 4);
    List<ClipLikeVectors.Pair> data = gen.pairs(pairs, 0);
    Path dir = tempDir.resolve("c").toAbsolutePath();
    try (VectorCollection c = VectorCollection.create(dir, provider(), fp, settings())) {
      List<Item> items = new ArrayList<>(2 * pairs);
      for (int i = 0; i < pairs; i++) {
        items.add(Item.of("img-" + i, new Embedding(data.get(i).image(), fp, Modality.IMAGE)));
        items.add(Item.of("txt-" + i, new Embedding(data.get(i).text(), fp, Modality.TEXT)));
      }
      c.upsert(items);
      c.commit();
      int queries = Math.min(pairs, recallQueryCount());
      int found = 0;
      int mixed = 0;
      int rawCross = 0;
      for (int q = 0; q < queries; q++) {
        // each query is a record's own vector, captions and pictures in turn
        boolean text = q % 2 == 0;
        ClipLikeVectors.Pair p = data.get(q);
        Embedding e =
            new Embedding(text ? p.text() : p.image(), fp, text ? Modality.TEXT : Modality.IMAGE);
        String partner = (text ? "img-" : "txt-") + q;
        List<Hit> calibrated = c.search(Query.of(e).k(5));
        assertThat(calibrated)
            .as(ctx(seed) + "query " + q + ": ranked on the calibrated scale, best first")
            .allMatch(h -> h.ranking() == Hit.Ranking.CALIBRATED)
            .isSortedAccordingTo(Hit.ORDER);
        if (calibrated.stream().anyMatch(h -> h.id().equals(partner))) found++;
        if (calibrated.stream().map(Hit::modality).distinct().count() == 2) mixed++;
        // the raw order is one option away, and it is the similarity order
        List<Hit> raw = c.search(Query.of(e).k(5).ranking(Hit.Ranking.SIMILARITY));
        assertThat(raw)
            .as(ctx(seed) + "query " + q + ": SIMILARITY ranking keeps the raw order")
            .allMatch(h -> h.ranking() == Hit.Ranking.SIMILARITY && h.rankScore() == h.score())
            .isSortedAccordingTo(Hit.ORDER);
        QueryScorer scorer = QueryScorer.of(Similarity.COSINE, e.vector());
        for (Hit h : raw) {
          float[] v = c.get(h.id()).orElseThrow().embedding().vector();
          assertThat((double) h.score())
              .as(ctx(seed) + "query " + q + ": raw score of " + h.id())
              .isCloseTo(scorer.score(v), Offset.offset(1e-4));
        }
        rawCross += (int) raw.stream().filter(h -> h.modality() != e.modality()).count();
      }
      note(
          String.format(
              "%sgap %.1f, %d pairs, %d queries, k=5: paired record found %d, both modalities"
                  + " %d, raw cross-modal hits %d",
              ctx(seed), gap, pairs, queries, found, mixed, rawCross));
      assertThat((double) found / queries)
          .as(
              ctx(seed)
                  + "share of unfiltered calibrated queries whose paired record of the other"
                  + " modality is in the top 5 (the store's per-modality search and sample)")
          .isGreaterThanOrEqualTo(0.9);
      assertThat((double) mixed / queries)
          .as(ctx(seed) + "share of unfiltered calibrated top-5 lists holding both modalities")
          .isGreaterThanOrEqualTo(0.9);
    }
  }

  /** The id of the record whose vector {@code v} is (within the store's rounding), or null. */
  private String recordOf(float[] v, Map<String, float[]> vectors) {
    for (Map.Entry<String, float[]> e : vectors.entrySet()) {
      float[] w = e.getValue();
      if (w.length != v.length) continue;
      if (withinBound(v, w)) return e.getKey();
    }
    return null;
  }

  private static Map<String, float[]> vectors(List<Item> items) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Item it : items) out.put(it.id() + "#" + out.size(), it.embedding().vector());
    return out;
  }
}
