package dev.tessera.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Filter;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.StoreContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit after upserts of at least a tenth of the store leaves one segment, so a search walks one
 * graph per modality; a smaller commit leaves its segment to Lucene's merge policy.
 */
class LuceneMergeTest {
  private static final ModelFingerprint FP = TestData.fingerprint(16, Similarity.COSINE, true);
  private static final TestData DATA = new TestData(14, 16, 8, 0.5, true);

  @TempDir Path dir;

  @Test
  void should_merge_to_one_segment_after_a_large_commit_only() throws IOException {
    Files.createDirectories(dir.resolve("s"));
    try (LuceneStore s =
        (LuceneStore)
            new LuceneStoreProvider()
                .create(new StoreContext(dir.resolve("s"), Map.of(), false), FP)) {
      s.upsert(DATA.items("a", 100, FP));
      s.commit();
      s.upsert(DATA.items("b", 100, FP)); // half the store: merged on commit
      s.commit();
      assertThat(s.segmentCount()).isEqualTo(1);
      List<Item> few = DATA.items("c", 5, FP); // 2.4% of the store: not merged
      s.upsert(few);
      s.commit();
      assertThat(s.segmentCount()).isEqualTo(2);
      assertThat(s.count()).isEqualTo(205);
      float[] q = few.get(0).embedding().vector();
      // a0, b0 and c0 hold the same vector: the three tie at the top, across both segments.
      assertThat(s.search(q, 3, Filter.ALL))
          .extracting(h -> h.id())
          .containsExactly("a0", "b0", "c0");
    }
    try (var reopened =
        new LuceneStoreProvider().open(new StoreContext(dir.resolve("s"), Map.of(), true))) {
      assertThat(reopened.count()).isEqualTo(205);
      assertThat(((LuceneStore) reopened).segmentCount()).isEqualTo(2);
    }
  }
}
