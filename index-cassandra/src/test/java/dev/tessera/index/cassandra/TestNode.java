package dev.tessera.index.cassandra;

import dev.tessera.cassandra.launcher.CassandraNode;
import dev.tessera.cassandra.launcher.SharedCassandra;
import java.util.Map;

/** The tests' node (one per test JVM) and the store settings that reach it. */
final class TestNode {
  private TestNode() {}

  /** Settings for a store on the shared node, in {@code keyspace}. */
  static Map<String, String> settings(String keyspace) {
    CassandraNode node = SharedCassandra.node();
    return Map.of(
        CassandraSettings.CONTACT_POINTS,
        node.address() + ":" + node.nativePort(),
        CassandraSettings.LOCAL_DATACENTER,
        node.datacenter(),
        CassandraSettings.KEYSPACE,
        keyspace);
  }
}
