package dev.tessera.cassandra.launcher;

import java.util.List;

/**
 * The {@code bin/cassandra-dev} command: starts a node, or {@code --nodes N} on 127.0.0.1..N, in
 * the foreground, prints where to connect, and stops them on Ctrl-C.
 */
public final class CassandraDev {
  private CassandraDev() {}

  /**
   * Runs until interrupted.
   *
   * @param args {@code [--nodes N]}
   */
  public static void main(String[] args) throws InterruptedException {
    int nodes = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> {
          if (i + 1 >= args.length) usage("--nodes needs a number");
          try {
            nodes = Integer.parseInt(args[++i]);
          } catch (NumberFormatException e) {
            usage("--nodes takes a number of nodes, not '" + args[i] + "'");
          }
          if (nodes < 1 || nodes > 9) usage("--nodes takes 1 to 9, not " + nodes);
        }
        case "-h", "--help" -> {
          System.out.println(USAGE);
          return;
        }
        default -> usage("unknown argument '" + args[i] + "'");
      }
    }
    System.out.println(
        "cassandra-dev: starting "
            + (nodes == 1 ? "a Cassandra 5.0 node" : nodes + " Cassandra 5.0 nodes")
            + " (Java 17: "
            + Java17.find()
            + ")...");
    List<CassandraNode> running;
    long t0 = System.nanoTime();
    if (nodes == 1) {
      running = List.of(CassandraNode.start());
    } else {
      running = CassandraCluster.start(nodes).nodes();
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("cassandra-dev: ready after %.1f s%n", ms / 1000.0);
    for (CassandraNode n : running) {
      System.out.println(
          "  contact point "
              + n.address()
              + ":"
              + n.nativePort()
              + "  datacenter "
              + n.datacenter()
              + "  pid "
              + n.pid()
              + "  log "
              + n.systemLog());
    }
    System.out.println(
        "cassandra-dev: connect a driver to the contact point(s) with that local datacenter;"
            + " Ctrl-C stops "
            + (nodes == 1 ? "it" : "them")
            + " and deletes the data.");
    // The nodes' shutdown hook stops them (and deletes their directories) when Ctrl-C ends this
    // JVM.
    Thread.currentThread().join();
  }

  private static final String USAGE =
      """
      usage: bin/cassandra-dev [--nodes N]
        Starts a real Cassandra 5.0 node (or N nodes on 127.0.0.1..N, one cluster) on loopback, with free
        ports and data in a temporary directory; prints the contact points; Ctrl-C stops them.\
      """;

  private static void usage(String problem) {
    System.err.println("cassandra-dev: " + problem);
    System.err.println(USAGE);
    System.exit(2);
  }
}
