package dev.tessera.index.lucene;

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
import dev.tessera.api.Values;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layout 2's native filters against the api's own evaluation ({@link Condition#matches}): random
 * metadata and random conditions drawn from boundary values (±0.0, the ends of long, 2^53 ± 1,
 * empty and non-ASCII strings, missing keys, one key holding several types).
 */
class LuceneFilterTest {
  private static final ModelFingerprint FP = TestData.fingerprint(4, Similarity.COSINE, true);
  private static final List<String> KEYS = List.of("a", "b", "c");
  private static final long TWO_53 = 1L << 53;
  private static final List<Object> VALUES =
      List.of(
          "",
          "a",
          "A",
          "a ",
          "ab",
          "é",
          "日本",
          "😀",
          "\uFFFF",
          0L,
          -1L,
          1L,
          2024L,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          Long.MAX_VALUE - 1,
          TWO_53,
          TWO_53 + 1,
          TWO_53 - 1,
          -TWO_53 - 1,
          0.0,
          -0.0,
          0.5,
          -0.5,
          2024.0,
          (double) TWO_53,
          (double) TWO_53 + 2,
          0x1p63,
          -0x1p63,
          1e300,
          -Double.MAX_VALUE,
          Double.MAX_VALUE,
          Double.MIN_VALUE,
          true,
          false);

  @TempDir Path dir;

  @Test
  void nativeQueriesMatchExactlyWhatConditionsMatch() throws IOException {
    Random r = new Random(15);
    List<Metadata> records = new ArrayList<>();
    for (int i = 0; i < 400; i++) records.add(randomMetadata(r));
    Records layout = new Records(FP, true);
    try (ByteBuffersDirectory d = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
        for (int i = 0; i < records.size(); i++) {
          w.addDocument(layout.document(item(i, records.get(i))));
          if (i == 199) w.commit(); // two segments
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(d)) {
        IndexSearcher s = new IndexSearcher(reader);
        int nonTrivial = 0;
        for (int t = 0; t < 3000; t++) {
          Condition c = randomCondition(r, 3);
          Set<Integer> expected = new TreeSet<>();
          for (int i = 0; i < records.size(); i++) if (c.matches(records.get(i))) expected.add(i);
          Set<Integer> actual = new TreeSet<>();
          for (ScoreDoc sd : s.search(ConditionQueries.compile(c), records.size() + 1).scoreDocs)
            actual.add(Integer.parseInt(StoredRecords.id(s, sd.doc)));
          assertThat(actual).as("%s", c).isEqualTo(expected);
          if (!expected.isEmpty() && expected.size() < records.size()) nonTrivial++;
        }
        assertThat(nonTrivial).as("conditions that split the records").isGreaterThan(1000);
      }
    }
  }

  @Test
  void numberKeysOrderLikeTheNumbers() {
    List<Object> numbers = VALUES.stream().filter(v -> v instanceof Number).toList();
    for (Object x : numbers) {
      for (Object y : numbers) {
        int expected = Values.compare(x, y);
        int actual =
            Integer.signum(
                java.util.Arrays.compareUnsigned(
                    MetadataFields.numberKey(x), MetadataFields.numberKey(y)));
        assertThat(actual).as("%s vs %s", x, y).isEqualTo(expected);
      }
    }
  }

  @Test
  void storeSearchReturnsEveryMatchAndOnlyMatches() throws IOException {
    Random r = new Random(16);
    Files.createDirectories(dir.resolve("store"));
    LuceneStoreProvider provider = new LuceneStoreProvider();
    try (VectorStore store =
        provider.create(new StoreContext(dir.resolve("store"), Map.of(), false), FP)) {
      List<Item> items = new ArrayList<>();
      for (int i = 0; i < 300; i++) items.add(item(i, randomMetadata(r)));
      store.upsert(items);
      store.commit();
      for (int t = 0; t < 200; t++) {
        Condition c = randomCondition(r, 2);
        Set<String> expected =
            items.stream()
                .filter(it -> c.matches(it.metadata()))
                .map(Item::id)
                .collect(Collectors.toCollection(TreeSet::new));
        List<Hit> hits = store.search(new float[] {1, 0, 0, 0}, 300, Filter.where(c));
        Set<String> found =
            hits.stream().map(Hit::id).collect(Collectors.toCollection(TreeSet::new));
        assertThat(found).as("%s", c).isEqualTo(expected);
      }
    }
  }

  /** A layout 1 store (created before typed metadata was indexed) still filters correctly. */
  @Test
  void layoutOneStoresFilterOnStoredMetadata() throws IOException {
    Random r = new Random(17);
    Path p = dir.resolve("old");
    Files.createDirectories(p);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 200; i++) items.add(item(i, randomMetadata(r)));
    try (LuceneStore old =
        LuceneStore.create(
            p,
            FP,
            LuceneSettings.DEFAULTS,
            org.apache.lucene.store.FSDirectory::open,
            CommitData.FORMAT_1)) {
      old.upsert(items.subList(0, 100));
      old.commit();
    }
    LuceneStoreProvider provider = new LuceneStoreProvider();
    try (VectorStore store = provider.open(new StoreContext(p, Map.of(), false))) {
      store.upsert(items.subList(100, 200)); // still written in layout 1
      store.commit();
    }
    try (VectorStore store = provider.open(new StoreContext(p, Map.of(), true))) {
      for (int t = 0; t < 50; t++) {
        Condition c = randomCondition(r, 2);
        long expected = items.stream().filter(it -> c.matches(it.metadata())).count();
        assertThat(store.search(new float[] {1, 0, 0, 0}, 200, Filter.where(c)))
            .as("%s", c)
            .hasSize((int) expected)
            .allMatch(h -> c.matches(h.metadata()));
      }
    }
    assertThat(CommitData.read(org.apache.lucene.store.FSDirectory.open(p), p).nativeFilters())
        .isFalse();
  }

  private static Item item(int i, Metadata metadata) {
    float[] v = {1, (i % 7) / 7f, (i % 5) / 5f, (i % 3) / 3f};
    float n = 0;
    for (float x : v) n += x * x;
    for (int d = 0; d < v.length; d++) v[d] /= (float) Math.sqrt(n);
    Modality m = i % 2 == 0 ? Modality.IMAGE : Modality.TEXT;
    return Item.of(Integer.toString(i), new Embedding(v, FP, m)).withMetadata(metadata);
  }

  private static Metadata randomMetadata(Random r) {
    Map<String, Object> m = new TreeMap<>();
    for (String key : KEYS) if (r.nextInt(4) != 0) m.put(key, pick(r));
    return Metadata.of(m);
  }

  private static Object pick(Random r) {
    return VALUES.get(r.nextInt(VALUES.size()));
  }

  private static Condition randomCondition(Random r, int depth) {
    int kind = r.nextInt(depth > 0 ? 7 : 3);
    String key = KEYS.get(r.nextInt(KEYS.size()));
    return switch (kind) {
      case 0 -> {
        Object v = pick(r);
        List<Condition.Op> ops =
            v instanceof Boolean
                ? List.of(Condition.Op.EQ, Condition.Op.NE)
                : List.of(Condition.Op.values());
        yield new Condition.Compare(key, ops.get(r.nextInt(ops.size())), v);
      }
      case 1 -> {
        List<Object> vs = new ArrayList<>();
        for (int i = r.nextInt(4); i >= 0; i--) vs.add(pick(r));
        yield new Condition.In(key, vs, r.nextBoolean());
      }
      case 2 -> new Condition.Exists(key, r.nextBoolean());
      case 3, 4 -> {
        List<Condition> parts = new ArrayList<>();
        for (int i = 1 + r.nextInt(2); i >= 0; i--) parts.add(randomCondition(r, depth - 1));
        yield kind == 3 ? new Condition.And(parts) : new Condition.Or(parts);
      }
      default -> new Condition.Not(randomCondition(r, depth - 1));
    };
  }
}
