package dev.tessera.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --contact-points} and {@code --datacenter}, shared by {@code index}, {@code reindex} and
 * {@code demo}: the Cassandra cluster a new {@code cassandra} collection or generation is created
 * in. Other stores refuse them, before anything is written.
 */
final class CassandraOptions {
  /** The store these options are for. */
  static final String STORE = "cassandra";

  /** The driver's local datacenter when {@code --datacenter} is not given (the store's default). */
  static final String DEFAULT_DATACENTER = "datacenter1";

  @Option(
      names = "--contact-points",
      paramLabel = "HOST:PORT[,...]",
      description =
          "With --store cassandra: the cluster to create in (index: needed for a new collection;"
              + " reindex: default the current generation's cluster; demo: default a local"
              + " Cassandra 5.0 node it starts, and stops with its data when it ends).")
  String contactPoints;

  @Option(
      names = "--datacenter",
      paramLabel = "DC",
      description =
          "With --contact-points: the driver's local datacenter (default: "
              + DEFAULT_DATACENTER
              + ").")
  String datacenter;

  /** Whether {@code --contact-points} was given. */
  boolean given() {
    return contactPoints != null;
  }

  /**
   * Refuses the options unless {@code store} is {@value #STORE}, and {@code --datacenter} without
   * {@code --contact-points}.
   */
  void check(String store) {
    if (contactPoints != null && !STORE.equals(store)) {
      throw new IllegalArgumentException(
          "--contact-points is for --store cassandra, not --store " + store + ".");
    }
    if (datacenter != null && contactPoints == null) {
      throw new IllegalArgumentException(
          "--datacenter "
              + datacenter
              + " needs --contact-points HOST:PORT (the cluster whose datacenter it is).");
    }
  }

  /**
   * The store settings of a collection or generation of {@code store}: {@code base} with the
   * contact points and datacenter given here, if any (checked with {@link #check}).
   */
  Map<String, String> settings(String store, Map<String, String> base) {
    check(store);
    Map<String, String> s = new LinkedHashMap<>(base);
    if (contactPoints != null) {
      s.put("contact-points", contactPoints);
      s.put("local-datacenter", datacenter != null ? datacenter : DEFAULT_DATACENTER);
    }
    return Map.copyOf(s);
  }

  /**
   * Refuses to create a {@value #STORE} collection or generation with no cluster named: neither
   * given here nor in {@code settings}.
   */
  static void requireCluster(String store, Map<String, String> settings, String command) {
    if (STORE.equals(store) && !settings.containsKey("contact-points")) {
      throw new IllegalArgumentException(
          command
              + " --store cassandra needs the cluster: add --contact-points HOST:PORT (and"
              + " --datacenter DC unless it is "
              + DEFAULT_DATACENTER
              + "); bin/cassandra-dev starts a local node and prints its contact point.");
    }
  }
}
