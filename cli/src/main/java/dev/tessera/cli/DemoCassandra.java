package dev.tessera.cli;

import dev.tessera.cassandra.launcher.CassandraNode;
import java.io.PrintStream;
import java.util.Map;

/**
 * Where {@code tessera demo --store cassandra} keeps its collection: the cluster named by {@code
 * --contact-points}, or a real Cassandra 5.0 node the demo starts on loopback (in its own Java 17
 * JVM, data in a temporary folder) and stops, deleting its data, when the demo ends.
 */
final class DemoCassandra implements AutoCloseable {
  private final CassandraNode node;
  private final Map<String, String> settings;

  private DemoCassandra(CassandraNode node, Map<String, String> settings) {
    this.node = node;
    this.settings = settings;
  }

  /**
   * For {@code store}: nothing unless it is {@value CassandraOptions#STORE}; then the given
   * cluster, or a node started now (its start, 5 to 20 s, is reported on {@code out}).
   */
  static DemoCassandra forStore(String store, CassandraOptions options, PrintStream out) {
    Map<String, String> given = options.settings(store, Map.of());
    if (!CassandraOptions.STORE.equals(store)) return new DemoCassandra(null, Map.of());
    if (options.given()) return new DemoCassandra(null, given);
    out.println(
        "Starting a local Cassandra 5.0 node for the demo (its own Java 17 JVM, loopback only;"
            + " --contact-points HOST:PORT uses a cluster of yours instead)...");
    long t0 = System.nanoTime();
    CassandraNode node = CassandraNode.start();
    out.printf(
        "Cassandra is up at %s:%d (datacenter %s) after %.1f s%n",
        node.address(), node.nativePort(), node.datacenter(), (System.nanoTime() - t0) / 1e9);
    return new DemoCassandra(
        node,
        Map.of(
            "contact-points",
            node.address() + ":" + node.nativePort(),
            "local-datacenter",
            node.datacenter()));
  }

  /** The store settings the demo's collection is created with. */
  Map<String, String> settings() {
    return settings;
  }

  /** Whether the demo started the node itself (its data is gone once the demo ends). */
  boolean startedNode() {
    return node != null;
  }

  /** Stops the node the demo started, if it did, and deletes its data. */
  @Override
  public void close() {
    if (node != null) node.close();
  }
}
