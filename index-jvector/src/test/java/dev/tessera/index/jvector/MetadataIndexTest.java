package dev.tessera.index.jvector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Condition;
import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.Source;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metadata index evaluates every condition exactly as {@link Condition#matches} does. */
class MetadataIndexTest {
  private static final long SEED = Long.getLong("tessera.seed", 20261202L);
  private static final String[] KEYS = {"a", "b", "c", "d"};
  private static final Object[] VALUES = {
    0L,
    1L,
    -1L,
    2024L,
    2024.0,
    2024.5,
    -0.0,
    0.0,
    1.0 / 3,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    (1L << 53) + 1,
    (double) (1L << 53),
    9.223372036854775807E18,
    -9.223372036854775808E18,
    "",
    "a",
    "A",
    "ab",
    "é",
    "日本",
    "\uD83D\uDE00",
    " a",
    "2024",
    true,
    false
  };

  @TempDir Path dir;

  private static Metadata randomMetadata(Random r) {
    Map<String, Object> m = new HashMap<>();
    for (String k : KEYS) if (r.nextInt(3) > 0) m.put(k, VALUES[r.nextInt(VALUES.length)]);
    return Metadata.of(m);
  }

  private static Condition randomCondition(Random r, int depth) {
    String key = KEYS[r.nextInt(KEYS.length)];
    int pick = r.nextInt(depth > 0 ? 7 : 4);
    switch (pick) {
      case 0, 1:
        {
          Object v = VALUES[r.nextInt(VALUES.length)];
          Condition.Op[] ops = Condition.Op.values();
          Condition.Op op = ops[r.nextInt(ops.length)];
          if (v instanceof Boolean && op.isRange()) op = Condition.Op.EQ;
          return new Condition.Compare(key, op, v);
        }
      case 2:
        {
          List<Object> vs = new ArrayList<>();
          for (int i = 0, n = 1 + r.nextInt(3); i < n; i++)
            vs.add(VALUES[r.nextInt(VALUES.length)]);
          return new Condition.In(key, vs, r.nextBoolean());
        }
      case 3:
        return new Condition.Exists(key, r.nextBoolean());
      case 4:
        return new Condition.And(
            List.of(randomCondition(r, depth - 1), randomCondition(r, depth - 1)));
      case 5:
        return new Condition.Or(
            List.of(randomCondition(r, depth - 1), randomCondition(r, depth - 1)));
      default:
        return new Condition.Not(randomCondition(r, depth - 1));
    }
  }

  @Test
  void indexEvaluationEqualsMatchesOnRandomMetadataAndConditions() {
    Random r = new Random(SEED);
    RecordTable records = new RecordTable(2);
    int n = 600;
    records.setNextOrd(n);
    for (int ord = 0; ord < n; ord++) {
      Modality m = r.nextBoolean() ? Modality.IMAGE : Modality.TEXT;
      records.put(ord, new RecordTable.Rec("id" + ord, m, randomMetadata(r), Source.NONE));
    }
    // Some removed records linger in the postings until a rebuild; they must never match.
    for (int ord = 0; ord < n; ord += 7) records.remove(ord, true);
    for (boolean rebuilt : new boolean[] {false, true}) {
      if (rebuilt) records.index().rebuild(records);
      for (int t = 0; t < 3000; t++) {
        Condition c = randomCondition(r, 3);
        for (Modality m : Modality.values()) {
          BitSet got = records.index().matching(c, records.index().live(m));
          BitSet want = new BitSet();
          for (int ord = 0; ord < n; ord++) {
            RecordTable.Rec rec = records.rec(ord);
            if (rec != null && rec.modality() == m && c.matches(rec.metadata())) want.set(ord);
          }
          assertThat(got).as("%s on %s (seed %d)", c, m, SEED).isEqualTo(want);
        }
      }
    }
  }

  @Test
  void liveSetsAreNotChangedByEvaluation() {
    RecordTable records = new RecordTable(2);
    records.setNextOrd(3);
    for (int ord = 0; ord < 3; ord++) {
      records.put(
          ord,
          new RecordTable.Rec(
              "id" + ord, Modality.TEXT, Metadata.of("a", (long) ord), Source.NONE));
    }
    BitSet live = (BitSet) records.index().live(Modality.TEXT).clone();
    records
        .index()
        .matching(
            Filter.parse("not (a = 1) and a != 2").condition().orElseThrow(),
            records.index().live(Modality.TEXT));
    assertThat(records.index().live(Modality.TEXT)).isEqualTo(live);
  }

  @Test
  void filteredSearchReturnsKHitsWheneverKMatch() throws Exception {
    ModelFingerprint fp =
        ModelFingerprint.declared("test/rand", 16, Similarity.COSINE, false, "t1");
    Random r = new Random(SEED);
    // exact-search-below 0 forces graph walks even for the selective filters.
    VectorStore store =
        new JVectorStoreProvider()
            .create(
                new StoreContext(dir, Map.of(JVectorSettings.EXACT_SEARCH_BELOW, "0"), false), fp);
    List<Item> items = new ArrayList<>();
    int n = 4000;
    for (int i = 0; i < n; i++) {
      float[] v = new float[16];
      for (int d = 0; d < 16; d++) v[d] = (float) r.nextGaussian();
      Modality m = i % 2 == 0 ? Modality.IMAGE : Modality.TEXT;
      items.add(
          new Item(
              "i" + i,
              new Embedding(v, fp, m),
              Metadata.of(Map.of("rank", (long) i, "tag", i % 10 == 0 ? "rare" : "common")),
              Source.NONE));
    }
    store.upsert(items);
    store.commit();
    int k = 10;
    for (String text :
        List.of("rank < 15", "rank >= 3990", "tag = \"rare\"", "rank < 2000 and tag != \"rare\"")) {
      Filter f = Filter.parse(text);
      long matching = items.stream().filter(f::matches).count();
      for (int q = 0; q < 20; q++) {
        float[] query = new float[16];
        for (int d = 0; d < 16; d++) query[d] = (float) r.nextGaussian();
        List<Hit> hits = store.search(query, k, f);
        assertThat(hits).as(text).hasSize((int) Math.min(k, matching));
        for (Hit h : hits) {
          int i = Integer.parseInt(h.id().substring(1));
          assertThat(f.matches(items.get(i))).as(text + " hit " + h.id()).isTrue();
        }
      }
    }
    store.close();
  }
}
