package dev.tessera.index.jvector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the committed store written by the code before the split, and writes the same bytes. */
class JVectorFormatFixtureTest {
  private static final String[] FILES = {
    "jvector.manifest", "g2.records", "g2.vectors", "g2.graph-image", "g2.graph-text", "g2.pq"
  };

  @TempDir Path dir;

  private void copyFixture() throws IOException {
    for (String f : FILES) {
      try (InputStream in =
          getClass().getResourceAsStream("/format-fixtures/" + FormatFixture.NAME + "/" + f)) {
        assertThat(in).as("fixture file " + f).isNotNull();
        Files.copy(in, dir.resolve(f));
      }
    }
  }

  private VectorStore open(boolean readOnly) throws IOException {
    return open(readOnly, Map.of());
  }

  private VectorStore open(boolean readOnly, Map<String, String> settings) throws IOException {
    return new JVectorStoreProvider().open(new StoreContext(dir, settings, readOnly));
  }

  private static List<Item> expectedItems() {
    List<Item> items = new ArrayList<>(FormatFixture.items());
    items.set(7, FormatFixture.replacement());
    items.remove(5);
    return items;
  }

  @Test
  void should_open_the_pre_split_fixture_with_every_record_and_setting() throws IOException {
    copyFixture();
    try (VectorStore s = open(true)) {
      assertThat(s.fingerprint()).isEqualTo(FormatFixture.FP);
      assertThat(s.count()).isEqualTo(FormatFixture.COUNT - 1);
      assertThat(s.get("r5")).isEmpty();
      for (Item i : expectedItems()) assertThat(s.get(i.id())).contains(i);
      assertThat(((JVectorStore) s).pqBytesPerVector()).isEqualTo(4);
    }
  }

  @Test
  void should_rank_the_fixture_exactly_with_and_without_filters() throws IOException {
    copyFixture();
    List<Item> items = expectedItems();
    Random r = new Random(99);
    try (VectorStore s = open(true)) {
      for (int t = 0; t < 20; t++) {
        float[] q = new float[FormatFixture.FP.dimension()];
        for (int d = 0; d < q.length; d++) q[d] = (float) r.nextGaussian();
        assertThat(ids(s.search(q, 10, Filter.ALL))).isEqualTo(exact(items, q, Filter.ALL, 10));
        Filter f = Filter.where("bucket").eq("b3").only(Modality.TEXT);
        assertThat(ids(s.search(q, 5, f))).isEqualTo(exact(items, q, f, 5));
      }
    }
  }

  @Test
  void should_walk_the_fixture_graphs_and_pq_codes() throws IOException {
    copyFixture();
    List<Item> items = expectedItems();
    Random r = new Random(98);
    int hits = 0;
    int total = 0;
    try (VectorStore s = open(true, Map.of("exact-search-below", "0", "search-beam", "20"))) {
      for (int t = 0; t < 20; t++) {
        float[] q = new float[FormatFixture.FP.dimension()];
        for (int d = 0; d < q.length; d++) q[d] = (float) r.nextGaussian();
        List<String> want = exact(items, q, Filter.ALL, 10);
        List<String> got = ids(s.search(q, 10, Filter.ALL));
        assertThat(got).hasSize(10).doesNotContain("r5");
        hits += (int) got.stream().filter(want::contains).count();
        total += want.size();
      }
    }
    assertThat(hits / (double) total).as("recall@10 of the loaded graphs").isGreaterThan(0.9);
  }

  @Test
  void should_write_byte_identical_records_and_vectors_files_on_commit() throws IOException {
    copyFixture();
    try (VectorStore s = open(false)) {
      s.commit();
    }
    Path fixture = Path.of("src/test/resources/format-fixtures", FormatFixture.NAME);
    for (String f : new String[] {"records", "vectors", "pq"}) {
      assertThat(Files.readAllBytes(dir.resolve("g3." + f)))
          .as("g3." + f + " equals the fixture's g2." + f)
          .isEqualTo(Files.readAllBytes(fixture.resolve("g2." + f)));
    }
    assertThat(dir.resolve("g2.records")).doesNotExist();
    try (VectorStore s = open(true)) {
      assertThat(s.count()).isEqualTo(FormatFixture.COUNT - 1);
    }
  }

  private static List<String> ids(List<Hit> hits) {
    return hits.stream().map(Hit::id).toList();
  }

  private static List<String> exact(List<Item> items, float[] q, Filter f, int k) {
    QueryScorer scorer = QueryScorer.of(FormatFixture.FP.similarity(), q);
    return items.stream()
        .filter(i -> f.matches(i.modality(), i.metadata()))
        .sorted(
            Comparator.comparingDouble((Item i) -> -scorer.score(i.embedding().vector()))
                .thenComparing(Item::id))
        .limit(k)
        .map(Item::id)
        .toList();
  }
}
