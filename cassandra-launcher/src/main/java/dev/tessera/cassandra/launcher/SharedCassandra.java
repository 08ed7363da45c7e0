package dev.tessera.cassandra.launcher;

/**
 * One Cassandra node per JVM for tests: started on first use, restarted if a test stopped it, and
 * stopped when the JVM exits, so every test class of a module shares one start (6-16 s each).
 */
public final class SharedCassandra {
  private static CassandraNode node;

  private SharedCassandra() {}

  /**
   * The shared node, running and answering CQL. Tests that share it should use keyspaces of their
   * own; a test that stops it leaves the next caller to restart it.
   */
  public static synchronized CassandraNode node() {
    if (node == null) {
      node = CassandraNode.start();
    } else if (!node.isRunning()) {
      node.restart();
    }
    return node;
  }
}
