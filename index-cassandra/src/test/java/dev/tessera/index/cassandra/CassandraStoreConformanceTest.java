package dev.tessera.index.cassandra;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.VectorStoreConformance;
import java.util.Map;

/**
 * The whole conformance kit against the {@code cassandra} store on a real node (started once per
 * test JVM by the launcher), at its default settings and the kit's 0.95 recall floor.
 */
class CassandraStoreConformanceTest extends VectorStoreConformance {
  @Override
  protected VectorStoreProvider provider() {
    return new CassandraStoreProvider();
  }

  @Override
  protected Map<String, String> settings() {
    return TestNode.settings("kit");
  }
}
