package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Query;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kit, part: search: order and scale of scores, ties, k, filters, and that deleted or replaced
 * records never come back.
 */
abstract class SearchContract extends FidelityContract {
  SearchContract() {}

  @ParameterizedTest(name = "{0}")
  @EnumSource(Similarity.class)
  void should_return_hits_best_first_scored_on_the_similarity(Similarity sim) throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    ModelFingerprint fp = fingerprint(8, sim, false);
    VectorStore store = createStore(tempDir.resolve("s"), fp);
    List<Item> items = randomItems(rnd, "r", 100, fp);
    store.upsert(items);
    Map<String, float[]> vectors = new HashMap<>();
    for (Item it : items) vectors.put(it.id(), it.embedding().vector());
    int queries = 10;
    double found = 0;
    for (int q = 0; q < queries; q++) {
      float[] query = randomVector(rnd, 8);
      List<Hit> hits = store.search(query, 10, Filter.ALL);
      String why = ctx(seed) + sim.id() + " query " + q;
      assertThat(hits).as(why + ": 10 hits from 100 records").hasSize(10);
      assertThat(hits)
          .as(why + ": hits must be best first, ties by id (Hit.ORDER)")
          .isSortedAccordingTo(Hit.ORDER);
      assertScoresMatch(hits, vectors, query, sim, why);
      Set<String> truth = new HashSet<>(ids(exact(items, query, 10, Filter.ALL, sim)));
      found += hits.stream().filter(h -> truth.contains(h.id())).count() / 10.0;
    }
    // raw (unnormalized) vectors: for dot product this is maximum-inner-product search
    assertThat(found / queries)
        .as(ctx(seed) + sim.id() + ": recall@10 over 100 raw 8-d vectors")
        .isGreaterThanOrEqualTo(minimumRecall());
  }

  @Test
  void should_break_score_ties_by_ascending_id() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    float[] same = randomVector(rnd, 8);
    List<Item> items = new ArrayList<>(randomItems(rnd, "other-", 40, SMALL));
    // Inserted out of id order, so an insertion-ordered or internal-id-ordered tie-break shows.
    for (String id : List.of("tie-4", "tie-1", "tie-5", "tie-3", "tie-2"))
      items.add(item(id, same, SMALL, Modality.TEXT));
    store.upsert(items);
    List<Hit> hits = store.search(same, 3, Filter.ALL);
    assertThat(ids(hits))
        .as(ctx(seed) + "five records share the best score; the three smallest ids win, in order")
        .containsExactly("tie-1", "tie-2", "tie-3");
  }

  @Test
  void should_return_every_record_when_k_exceeds_the_count() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(rnd, "r", 7, SMALL);
    store.upsert(items);
    float[] query = randomVector(rnd, 8);
    List<Hit> hits = store.search(query, 50, Filter.ALL);
    assertTopK(hits, items, query, 50, Filter.ALL, Similarity.COSINE, ctx(seed) + "k=50 over 7");
  }

  @Test
  void should_return_no_hits_from_an_empty_store() throws IOException {
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    assertThat(store.search(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 10, Filter.ALL))
        .as(ctx(seed()) + "search(k=10) of an empty store (VectorStore#search: at most k hits)")
        .isEmpty();
  }

  @Test
  void should_reject_k_below_one() throws IOException {
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    store.upsert(randomItems(new Random(seed()), "r", 5, SMALL));
    float[] q = {1, 0, 0, 0, 0, 0, 0, 0};
    // at the api: Query refuses with its documented message before any store is asked
    Embedding e = new Embedding(q, SMALL, Modality.TEXT);
    assertThatThrownBy(() -> Query.of(e).k(0))
        .as(ctx(seed()) + "Query.k(0) at the api")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be between 1 and " + Query.MAX_K + ", got 0.");
    assertThatThrownBy(() -> Query.of(e).k(-3))
        .as(ctx(seed()) + "Query.k(-3) at the api")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be between 1 and " + Query.MAX_K + ", got -3.");
    // at the store: the kit's rule is IllegalArgumentException, never an empty list or another
    // error
    assertThatThrownBy(() -> store.search(q, 0, Filter.ALL))
        .as(ctx(seed()) + "store.search(k=0) (the kit's rule: k < 1 is IllegalArgumentException)")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.search(q, -1, Filter.ALL))
        .as(ctx(seed()) + "store.search(k=-1) (the kit's rule: k < 1 is IllegalArgumentException)")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_filter_by_modality() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(rnd, "r", 60, SMALL); // even = image, odd = text
    store.upsert(items);
    float[] query = randomVector(rnd, 8);
    for (Set<Modality> only :
        List.of(
            EnumSet.of(Modality.TEXT), EnumSet.of(Modality.IMAGE), EnumSet.allOf(Modality.class))) {
      Filter f = Filter.of(only, null);
      List<Hit> hits = store.search(query, 10, f);
      assertTopK(hits, items, query, 10, f, Similarity.COSINE, ctx(seed) + "filter " + only);
      assertThat(hits)
          .allSatisfy(
              h ->
                  assertThat(only)
                      .as(ctx(seed) + "modality of hit " + h.id() + " for filter " + only)
                      .contains(h.modality()));
    }
  }

  @Test
  void should_filter_by_metadata_equality() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      items.add(
          item("r" + i, randomVector(rnd, 8), SMALL, i % 2 == 0 ? Modality.IMAGE : Modality.TEXT)
              .with("album", "a" + (i % 3))
              .with("year", i % 5 == 0 ? "2024" : "2023"));
    }
    store.upsert(items);
    float[] query = randomVector(rnd, 8);
    List<Filter> filters =
        List.of(
            Filter.where("album").eq("a1"),
            Filter.where("album").eq("a2").and(Filter.where("year").eq("2024")),
            Filter.where("year").eq("2024").only(Modality.TEXT),
            Filter.where("album").eq("no-such-album"),
            Filter.where("missing-key").eq("x"));
    for (Filter f : filters) {
      List<Hit> hits = store.search(query, 10, f);
      assertTopK(hits, items, query, 10, f, Similarity.COSINE, ctx(seed) + "filter " + f);
    }
  }

  @Test
  void should_return_k_hits_for_a_filter_matching_under_one_percent() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    ModelFingerprint fp = fingerprint(16, Similarity.COSINE, false);
    VectorStore store = createStore(tempDir.resolve("s"), fp);
    int n = 3000;
    int rare = 24; // 0.8 %
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(
          item("r" + i, randomVector(rnd, 16), fp, i % 2 == 0 ? Modality.IMAGE : Modality.TEXT)
              .with("tag", i % (n / rare) == 0 ? "rare" : "common"));
    }
    store.upsert(items);
    store.commit();
    Filter f = Filter.where("tag").eq("rare");
    assertThat(items.stream().filter(f::matches).count())
        .as(ctx(seed) + "records the kit tagged rare (the kit's own data, not the store)")
        .isEqualTo(rare);
    double found = 0;
    int queries = 20;
    for (int q = 0; q < queries; q++) {
      float[] query = randomVector(rnd, 16);
      List<Hit> hits = store.search(query, 10, f);
      assertThat(hits)
          .as(
              ctx(seed)
                  + "query "
                  + q
                  + ": a filter matching "
                  + rare
                  + " of "
                  + n
                  + " records must still give k=10 hits (filter inside the search, not after"
                  + " top-k)")
          .hasSize(10);
      assertThat(hits)
          .allSatisfy(
              h ->
                  assertThat(h.metadata().get("tag"))
                      .as(ctx(seed) + "tag of hit " + h.id() + " for tag = rare")
                      .isEqualTo("rare"));
      Set<String> truth = new HashSet<>(ids(exact(items, query, 10, f, Similarity.COSINE)));
      found += hits.stream().filter(h -> truth.contains(h.id())).count() / 10.0;
    }
    double recall = found / queries;
    note(ctx(seed) + "selective filter recall@10 = " + recall);
    assertThat(recall)
        .as(ctx(seed) + "recall@10 of the selective filter")
        .isGreaterThanOrEqualTo(minimumRecall());
    // a filter matching fewer than k records returns exactly those
    Filter three = Filter.where("tag").eq("rare");
    store.delete(items.stream().filter(three::matches).skip(3).map(Item::id).toList());
    float[] query = randomVector(rnd, 16);
    assertTopK(
        store.search(query, 10, three),
        items.stream().filter(three::matches).limit(3).toList(),
        query,
        10,
        three,
        Similarity.COSINE,
        ctx(seed) + "only 3 records match");
  }

  @Test
  void should_never_return_deleted_records() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> items = randomItems(rnd, "r", 200, SMALL);
    store.upsert(items);
    store.commit();
    List<Item> deleted = new ArrayList<>();
    for (int i = 0; i < items.size(); i += 4) deleted.add(items.get(i));
    store.delete(deleted.stream().map(Item::id).toList());
    Set<String> gone = new HashSet<>(deleted.stream().map(Item::id).toList());
    assertNoneReturned(store, deleted, gone, ctx(seed) + "before commit");
    store.commit();
    assertNoneReturned(store, deleted, gone, ctx(seed) + "after commit");
    store.close();
    assumePersistent("the rest of this test checks deleted records after a reopen");
    VectorStore reopened = openStore(dir, false);
    assertNoneReturned(reopened, deleted, gone, ctx(seed) + "after reopen");
    assertThat(reopened.count())
        .as(
            ctx(seed)
                + "count after reopen: 200 written, every fourth deleted (VectorStore#delete)")
        .isEqualTo(150);
  }

  private static void assertNoneReturned(
      VectorStore store, List<Item> deleted, Set<String> gone, String why) throws IOException {
    for (Item d : deleted) {
      // the deleted record's own vector is the query most likely to bring it back
      List<Hit> hits = store.search(d.embedding().vector(), 10, Filter.ALL);
      assertThat(hits).as(why + ": search with the vector of deleted '" + d.id() + "'").hasSize(10);
      assertThat(ids(hits))
          .as(why + ": search with the vector of deleted '" + d.id() + "'")
          .doesNotContainAnyElementsOf(gone);
      assertThat(store.get(d.id())).as(why + ": get of deleted '" + d.id() + "'").isEmpty();
    }
  }

  @Test
  void should_find_a_replaced_record_only_by_its_new_vector() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(rnd, "r", 100, SMALL);
    store.upsert(items);
    store.commit();
    float[] oldVector = items.get(10).embedding().vector();
    float[] newVector = new float[8];
    for (int i = 0; i < 8; i++) newVector[i] = -oldVector[i]; // as far away as cosine allows
    store.upsert(List.of(item("r10", newVector, SMALL, Modality.TEXT)));
    for (boolean committed : new boolean[] {false, true}) {
      if (committed) store.commit();
      String why = ctx(seed) + (committed ? "after commit" : "before commit");
      List<Hit> byNew = store.search(newVector, 1, Filter.ALL);
      assertThat(ids(byNew)).as(why + ": search with the new vector").containsExactly("r10");
      assertThat((double) byNew.get(0).score())
          .as(why + ": score against its own new vector")
          .isCloseTo(
              1.0,
              org.assertj.core.data.Offset.offset(
                  scoreTolerance(newVector, newVector, Similarity.COSINE, 1)));
      List<Hit> byOld = store.search(oldVector, 100, Filter.ALL);
      assertThat(byOld)
          .as(why + ": r10 is listed once")
          .filteredOn(h -> h.id().equals("r10"))
          .hasSize(1);
      Hit r10 = byOld.stream().filter(h -> h.id().equals("r10")).findFirst().orElseThrow();
      assertThat((double) r10.score())
          .as(why + ": r10 scored by its new vector against the old one")
          .isCloseTo(
              -1.0,
              org.assertj.core.data.Offset.offset(
                  scoreTolerance(oldVector, newVector, Similarity.COSINE, -1)));
      assertThat(ids(byOld).get(0)).as(why + ": the old vector's best hit").isNotEqualTo("r10");
    }
  }
}
