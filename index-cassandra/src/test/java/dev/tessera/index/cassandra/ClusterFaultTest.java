package dev.tessera.index.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.search.TopK;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.cassandra.launcher.CassandraCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes, replication factor 3, QUORUM: a store ingests 10,000 records, one node is killed -9
 * and later restarted, and the same store handle keeps searching and writing throughout: no failed
 * call, every acknowledged record readable by get with its exact vector, recall@10 against the
 * exact oracle as before the kill.
 */
class ClusterFaultTest {
  private static final ModelFingerprint FP =
      ModelFingerprint.declared("test/cluster-fault", 64, Similarity.COSINE, false, "test");
  private static final int RECORDS = 10_000;
  private static final int BATCH = 1_000;
  private static final int QUERIES = 50;

  @TempDir Path dir;

  private final Map<String, Item> acked = new LinkedHashMap<>();
  private int failedWrites;
  private int failedSearches;

  @Test
  void should_serve_every_acknowledged_record_and_the_same_recall_while_a_node_is_down()
      throws Exception {
    long seed = new Random().nextLong();
    System.out.println("ClusterFaultTest seed=" + seed);
    Random rnd = new Random(seed);
    try (CassandraCluster cluster = CassandraCluster.start(3)) {
      Map<String, String> settings =
          Map.of(
              CassandraSettings.CONTACT_POINTS,
              CassandraSettings.formatContactPoints(cluster.contactPoints()),
              CassandraSettings.LOCAL_DATACENTER,
              cluster.datacenter(),
              CassandraSettings.KEYSPACE,
              "fault",
              CassandraSettings.REPLICATION_FACTOR,
              "3");
      try (VectorStore store =
          new CassandraStoreProvider().create(new StoreContext(dir, settings, false), FP)) {
        for (int b = 0; b < RECORDS / BATCH; b++) write(store, batch(rnd, "a" + b + "-", BATCH));
        assertThat(failedWrites).as("failed writes, all nodes up").isZero();
        float[][] queries = queries(rnd);
        double before = recall(store, queries);

        cluster.node(1).kill();
        write(store, batch(rnd, "down-", 500));
        double down = recall(store, queries);
        int missingDown = missing(store);

        cluster.restart(1);
        write(store, batch(rnd, "back-", 500));
        double back = recall(store, queries);
        int missingBack = missing(store);

        System.out.printf(
            "ClusterFaultTest: %d acknowledged records; recall@10 before %.4f, one node down %.4f,"
                + " after restart %.4f; failed writes %d, failed searches %d; missing or changed"
                + " by get: %d down, %d after restart%n",
            acked.size(),
            before,
            down,
            back,
            failedWrites,
            failedSearches,
            missingDown,
            missingBack);
        assertThat(failedWrites).as("failed writes (commits)").isZero();
        assertThat(failedSearches).as("failed searches").isZero();
        assertThat(missingDown).as("acknowledged records missing by get, one node down").isZero();
        assertThat(missingBack).as("acknowledged records missing by get, after restart").isZero();
        assertThat(store.count()).as("count").isEqualTo(acked.size());
        assertThat(down).as("recall@10 with a node down").isGreaterThanOrEqualTo(before - 0.01);
        assertThat(back).as("recall@10 after the restart").isGreaterThanOrEqualTo(before - 0.01);
      }
    }
  }

  private List<Item> batch(Random rnd, String prefix, int n) {
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] v = new float[FP.dimension()];
      int cluster = rnd.nextInt(20);
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) ((d % 20 == cluster ? 3 : 0) + rnd.nextGaussian());
      }
      Modality m = i % 2 == 0 ? Modality.TEXT : Modality.IMAGE;
      items.add(Item.of(prefix + i, new Embedding(v, FP, m)));
    }
    return items;
  }

  private void write(VectorStore store, List<Item> items) {
    try {
      store.upsert(items);
      store.commit();
      for (Item it : items) acked.put(it.id(), it);
    } catch (Exception e) {
      failedWrites++;
      System.out.println("ClusterFaultTest: a write failed: " + e);
    }
  }

  private float[][] queries(Random rnd) {
    List<Item> all = new ArrayList<>(acked.values());
    float[][] q = new float[QUERIES][];
    for (int i = 0; i < QUERIES; i++) {
      float[] v = all.get(rnd.nextInt(all.size())).embedding().vector().clone();
      for (int d = 0; d < v.length; d++) v[d] += (float) (0.3 * rnd.nextGaussian());
      q[i] = v;
    }
    return q;
  }

  /** recall@10 of the store against the exact top 10 over every acknowledged record. */
  private double recall(VectorStore store, float[][] queries) {
    double sum = 0;
    for (float[] q : queries) {
      QueryScorer scorer = QueryScorer.of(FP.similarity(), q);
      TopK<Item> top = new TopK<>(10, Item::id);
      for (Item it : acked.values()) top.offer(it, scorer.score(it.embedding().vector()), it.id());
      Set<String> truth = new HashSet<>();
      for (TopK.Scored<Item> s : top.results()) truth.add(s.item().id());
      try {
        List<Hit> hits = store.search(q, 10, Filter.ALL);
        sum += hits.stream().filter(h -> truth.contains(h.id())).count() / (double) truth.size();
      } catch (Exception e) {
        failedSearches++;
        System.out.println("ClusterFaultTest: a search failed: " + e);
      }
    }
    return sum / queries.length;
  }

  /** Acknowledged records that get does not return with their exact vector. */
  private int missing(VectorStore store) throws Exception {
    int missing = 0;
    for (Item it : acked.values()) {
      Optional<Item> got = store.get(it.id());
      if (got.isEmpty()
          || !java.util.Arrays.equals(got.get().embedding().vector(), it.embedding().vector())) {
        missing++;
      }
    }
    return missing;
  }
}
