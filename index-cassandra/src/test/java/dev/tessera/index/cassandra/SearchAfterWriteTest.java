package dev.tessera.index.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantee the README states for a search after a write, on one node (replication factor 1,
 * QUORUM writes): once commit() returned, a search in another handle, through SAI's ANN path (the
 * exact pass is switched off), finds every record of that commit and none that it deleted.
 */
class SearchAfterWriteTest {
  private static final ModelFingerprint FP =
      ModelFingerprint.declared("test/search-after-write", 16, Similarity.COSINE, false, "test");

  @TempDir Path dir;

  @Test
  void should_find_every_record_of_a_commit_from_another_handle_as_soon_as_commit_returns()
      throws Exception {
    long seed = new Random().nextLong();
    System.out.println("SearchAfterWriteTest seed=" + seed);
    Random rnd = new Random(seed);
    Map<String, String> settings = new HashMap<>(TestNode.settings("guarantee"));
    settings.put(CassandraSettings.EXACT_SEARCH_BELOW, "0");
    CassandraStoreProvider provider = new CassandraStoreProvider();
    int rounds = 40;
    int perRound = 10;
    int missed = 0;
    int deletedSeen = 0;
    int searches = 0;
    try (VectorStore writer = provider.create(new StoreContext(dir, settings, false), FP);
        VectorStore reader = provider.open(new StoreContext(dir, settings, true))) {
      List<Item> previous = List.of();
      for (int round = 0; round < rounds; round++) {
        List<Item> batch = new ArrayList<>();
        for (int i = 0; i < perRound; i++) {
          float[] v = new float[FP.dimension()];
          for (int d = 0; d < v.length; d++) v[d] = (float) rnd.nextGaussian();
          Modality m = i % 2 == 0 ? Modality.TEXT : Modality.IMAGE;
          batch.add(Item.of("r" + round + "-" + i, new Embedding(v, FP, m)));
        }
        List<Item> deleted = previous.subList(0, Math.min(2, previous.size()));
        writer.upsert(batch);
        writer.delete(deleted.stream().map(Item::id).toList());
        writer.commit();
        // then, at once, another handle's search sees the commit
        for (Item it : batch) {
          List<Hit> hits = reader.search(it.embedding().vector(), 1, Filter.ALL);
          searches++;
          if (hits.isEmpty() || !hits.get(0).id().equals(it.id())) missed++;
        }
        for (Item it : deleted) {
          List<Hit> hits = reader.search(it.embedding().vector(), 5, Filter.ALL);
          searches++;
          if (hits.stream().anyMatch(h -> h.id().equals(it.id()))) deletedSeen++;
        }
        previous = batch;
      }
      assertThat(((CassandraStore) reader).annQueries())
          .as("searches went through SAI's ANN, not an exact pass")
          .isPositive();
    }
    System.out.printf(
        "SearchAfterWriteTest: %d commits of %d, %d searches right after commit: %d missed, %d"
            + " deleted records returned%n",
        rounds, perRound, searches, missed, deletedSeen);
    assertThat(missed).as("records of a returned commit that a search missed").isZero();
    assertThat(deletedSeen)
        .as("records deleted by a returned commit that a search returned")
        .isZero();
  }
}
