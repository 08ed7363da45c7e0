package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.Source;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kit, part: what a store gives back is exactly what was written: every hit carries its
 * record's source, metadata and modality; metadata values match only exactly; non-ASCII text
 * survives a reopen; and every record is found by its own vector. Ids, sizes and values come from
 * the seed.
 */
abstract class FidelityContract extends RecordContract {
  /** Texts the round-trip test draws from: accents, CJK, right-to-left, emoji with joiners. */
  static final List<String> WORLD_TEXT =
      List.of(
          "café naïve façade — “quoted”",
          "日本語のテキスト、猫と犬",
          "中文字符 测试",
          "한국어 문장",
          "Ελληνικά και русский",
          "עברית ועربية",
          "emoji 🐱🐶 family 👩‍👩‍👧 flag 🇯🇵",
          "math 𝔸𝔹ℂ ∑∫ and ½ ¾",
          "plain ascii");

  FidelityContract() {}

  @Test
  void should_return_hits_carrying_exactly_the_records_source_metadata_and_modality()
      throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = seededItems(rnd, 60 + rnd.nextInt(60), SMALL);
    store.upsert(items);
    Map<String, Item> byId = new LinkedHashMap<>();
    for (Item it : items) byId.put(it.id(), it);
    for (boolean committed : new boolean[] {false, true}) {
      if (committed) store.commit();
      for (Item it : items) {
        String why =
            ctx(seed)
                + (committed ? "after commit" : "before commit")
                + ", search by the vector of '"
                + it.id()
                + "'";
        for (Filter f : List.of(Filter.ALL, Filter.modality(it.modality()))) {
          List<Hit> hits = store.search(it.embedding().vector(), 3, f);
          assertThat(ids(hits)).as(why + " (filter " + f + ")").contains(it.id());
          for (Hit h : hits) assertHitIsRecord(h, byId.get(h.id()), why + " (filter " + f + ")");
        }
      }
    }
  }

  @Test
  void should_match_metadata_values_exactly_by_case_whitespace_empty_value_and_missing_key()
      throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    // values that a case-folding, trimming or "empty means absent" store would confuse
    List<String> values = List.of("blue", "Blue", "BLUE", " blue", "blue ", "", "bl ue", "blué");
    List<Item> items = new ArrayList<>();
    int n = 80 + rnd.nextInt(80);
    for (int i = 0; i < n; i++) {
      Item it = item(seededId(rnd, i), randomVector(rnd, 8), SMALL, Modality.TEXT);
      int pick = rnd.nextInt(values.size() + 2);
      if (pick < values.size()) it = it.with("tag", values.get(pick));
      else if (pick == values.size()) it = it.with("Tag", "blue"); // another key, by case
      items.add(it); // the last pick leaves the key out
    }
    store.upsert(items);
    store.commit();
    List<Filter> filters = new ArrayList<>();
    for (String v : values) filters.add(Filter.where("tag").eq(v));
    filters.add(Filter.where("Tag").eq("blue"));
    filters.add(Filter.where("TAG").eq("blue"));
    float[] query = randomVector(rnd, 8);
    for (Filter f : filters) {
      Set<String> expected = new HashSet<>(ids(exact(items, query, n, f, SMALL.similarity())));
      List<Hit> hits = store.search(query, n, f);
      assertThat(new HashSet<>(ids(hits)))
          .as(
              ctx(seed)
                  + "records matching "
                  + f
                  + " of "
                  + n
                  + " (Condition javadoc: a string value equals only the same code points; a"
                  + " missing key matches no '=')")
          .isEqualTo(expected);
    }
  }

  @Test
  void should_keep_non_ascii_cjk_and_emoji_text_of_source_and_metadata_through_reopen()
      throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> items = new ArrayList<>();
    int n = 20 + rnd.nextInt(20);
    for (int i = 0; i < n; i++) {
      String text = WORLD_TEXT.get(rnd.nextInt(WORLD_TEXT.size()));
      Modality m = rnd.nextBoolean() ? Modality.TEXT : Modality.IMAGE;
      Source source =
          m == Modality.TEXT
              ? Source.text(text + " #" + i)
              : Source.image("фото/猫 🐱/" + i + ".jpg");
      Metadata meta =
          Metadata.EMPTY
              .with("タグ", WORLD_TEXT.get(rnd.nextInt(WORLD_TEXT.size())))
              .with("ключ-" + (i % 3), "значение " + i)
              .with("emoji🐱", "🐶" + i);
      items.add(
          new Item(
              "ид-" + i + "-" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36) + "-日本",
              new Embedding(randomVector(rnd, 8), SMALL, m),
              meta,
              source));
    }
    store.upsert(items);
    store.commit();
    for (Item it : items) assertSameRecord(store.get(it.id()), it, ctx(seed) + "before reopen");
    store.close();
    assumePersistent("the rest of this test checks the text after a reopen");
    VectorStore reopened = openStore(dir, false);
    Map<String, Item> byId = new LinkedHashMap<>();
    for (Item it : items) byId.put(it.id(), it);
    for (Item it : items) {
      String why = ctx(seed) + "after reopen (UTF-8 text must come back as written)";
      assertSameRecord(reopened.get(it.id()), it, why);
      for (Hit h : reopened.search(it.embedding().vector(), 2, Filter.ALL))
        assertHitIsRecord(h, byId.get(h.id()), why);
      Filter byText = Filter.where("タグ").eq(it.metadata().getString("タグ"));
      assertThat(ids(reopened.search(it.embedding().vector(), 1, byText)))
          .as(why + ": filter " + byText)
          .containsExactly(it.id());
    }
    List<Item> seen = new ArrayList<>();
    reopened.forEach(seen::add);
    for (Item s : seen) assertSameRecord(java.util.Optional.of(s), byId.get(s.id()), "forEach");
  }

  @Test
  void should_find_every_record_by_its_own_vector() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    int dim = 8 + rnd.nextInt(25);
    ModelFingerprint fp = fingerprint(dim, Similarity.COSINE, false);
    VectorStore store = createStore(tempDir.resolve("s"), fp);
    int n = 400 + rnd.nextInt(800);
    List<Item> items = seededItems(rnd, n, fp);
    // a few exact duplicates under other ids: ties, broken by ascending id
    for (int d = 0; d < 5; d++) {
      Item twin = items.get(rnd.nextInt(items.size()));
      items.add(item(twin.id() + "-twin", twin.embedding().vector(), fp, twin.modality()));
    }
    store.upsert(items);
    store.commit();
    List<String> missed = new ArrayList<>();
    List<String> outranked = new ArrayList<>();
    for (Item it : items) {
      float[] v = it.embedding().vector();
      List<Hit> hits = store.search(v, 10, Filter.ALL);
      int rank = ids(hits).indexOf(it.id());
      if (rank < 0) {
        missed.add(it.id());
        continue;
      }
      double own = QueryScorer.of(fp.similarity(), v).score(v);
      for (Hit better : hits.subList(0, rank)) {
        Item b = items.stream().filter(x -> x.id().equals(better.id())).findFirst().orElse(null);
        double score =
            b == null
                ? Double.NaN
                : QueryScorer.of(fp.similarity(), v).score(b.embedding().vector());
        if (!(score >= own - 2 * scoreTolerance(v, v, fp.similarity(), own))) {
          outranked.add(it.id() + " behind " + better.id());
        }
      }
    }
    assertThat(missed)
        .as(
            ctx(seed)
                + "records of "
                + items.size()
                + " ("
                + dim
                + "-d) not among the top 10 for their own vector (every record must be findable)")
        .isEmpty();
    assertThat(outranked)
        .as(
            ctx(seed)
                + "records not at rank 1 for their own vector, other than behind an exact tie")
        .isEmpty();
  }

  /** Items with ids, metadata and sources drawn from {@code rnd}; both modalities. */
  static List<Item> seededItems(Random rnd, int n, ModelFingerprint fp) {
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Modality m = rnd.nextBoolean() ? Modality.IMAGE : Modality.TEXT;
      String id = seededId(rnd, i);
      Source source =
          switch (rnd.nextInt(3)) {
            case 0 -> Source.text("text " + rnd.nextInt(1000) + " of " + id);
            case 1 -> Source.image("img/" + id + "." + (rnd.nextBoolean() ? "jpg" : "png"));
            default -> Source.NONE;
          };
      Metadata meta = Metadata.EMPTY;
      if (rnd.nextInt(4) > 0) meta = meta.with("album", "a" + rnd.nextInt(5));
      if (rnd.nextBoolean()) meta = meta.with("year", 2000L + rnd.nextInt(30));
      if (rnd.nextBoolean()) meta = meta.with("rating", rnd.nextInt(50) / 10.0);
      if (rnd.nextBoolean()) meta = meta.with("starred", rnd.nextBoolean());
      items.add(
          new Item(id, new Embedding(randomVector(rnd, fp.dimension()), fp, m), meta, source));
    }
    return items;
  }

  /** A record id drawn from {@code rnd}, unique by {@code i}. */
  static String seededId(Random rnd, int i) {
    return Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36) + "-" + i;
  }

  void assertHitIsRecord(Hit h, Item record, String why) {
    assertThat(record).as(why + ": hit '" + h.id() + "' is no record written").isNotNull();
    assertThat(h.modality())
        .as(why + ": modality of hit '" + h.id() + "'")
        .isEqualTo(record.modality());
    assertThat(h.metadata())
        .as(why + ": metadata of hit '" + h.id() + "'")
        .isEqualTo(record.metadata());
    assertThat(h.source())
        .as(why + ": source of hit '" + h.id() + "' (Hit carries the record's source)")
        .isEqualTo(record.source());
  }
}
