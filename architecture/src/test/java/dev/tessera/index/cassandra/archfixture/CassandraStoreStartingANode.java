package dev.tessera.index.cassandra.archfixture;

/** Breaks "only cli and bench start Cassandra": a store that starts its own node. */
public class CassandraStoreStartingANode {
  /** The forbidden dependency. */
  public Object node() {
    return new dev.tessera.cassandra.launcher.archfixture.LauncherMarker();
  }
}
