package dev.tessera.index.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.cassandra.launcher.CassandraNode;
import dev.tessera.cassandra.launcher.SharedCassandra;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema is created from what the cluster has, not from what this JVM remembers: after the
 * keyspace is dropped (or when the JVM meets a second cluster, as the parity harness does), a new
 * store creates it again instead of failing with "keyspace ... does not exist".
 */
class SchemaTest {
  private static final ModelFingerprint FP =
      ModelFingerprint.declared("test/schema", 8, Similarity.COSINE, false, "test");

  @TempDir Path dir;

  @Test
  void should_create_the_keyspace_again_after_it_was_dropped() throws Exception {
    String ks = "schema_recreated";
    CassandraStoreProvider provider = new CassandraStoreProvider();
    java.nio.file.Files.createDirectories(dir.resolve("a"));
    java.nio.file.Files.createDirectories(dir.resolve("b"));
    try (VectorStore first =
        provider.create(new StoreContext(dir.resolve("a"), TestNode.settings(ks), false), FP)) {
      first.upsert(List.of(item("a1")));
      first.commit();
    }
    CassandraNode node = SharedCassandra.node();
    try (CqlSession admin =
        CqlSession.builder()
            .addContactPoint(new InetSocketAddress(node.address(), node.nativePort()))
            .withLocalDatacenter(node.datacenter())
            .build()) {
      admin.execute(
          com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("DROP KEYSPACE " + ks)
              .setTimeout(Duration.ofSeconds(60)));
    }
    try (VectorStore second =
        provider.create(new StoreContext(dir.resolve("b"), TestNode.settings(ks), false), FP)) {
      second.upsert(List.of(item("b1")));
      second.commit();
      assertThat(second.search(item("b1").embedding().vector(), 1, Filter.ALL))
          .extracting(h -> h.id())
          .containsExactly("b1");
    }
  }

  private static Item item(String id) {
    float[] v = new float[FP.dimension()];
    for (int d = 0; d < v.length; d++) v[d] = (float) Math.sin(id.hashCode() * 31 + d);
    return Item.of(id, new Embedding(v, FP, Modality.TEXT));
  }
}
