package dev.tessera.cassandra.launcher;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster of real Cassandra 5.0 nodes on 127.0.0.1, 127.0.0.2, ... (the same ports on each
 * address, loopback only), the first one the seed, in one datacenter.
 *
 * <p>The nodes skip bootstrap ({@code auto_bootstrap: false}): the cluster starts empty, so there
 * is nothing to stream, and three nodes serve in about 20 s instead of minutes.
 */
public final class CassandraCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CassandraCluster.class);

  private final List<CassandraNode> nodes;
  private final Path directory;

  private CassandraCluster(List<CassandraNode> nodes, Path directory) {
    this.nodes = List.copyOf(nodes);
    this.directory = directory;
  }

  /**
   * Starts {@code size} nodes and returns once each answers CQL and every node sees every other one
   * up. {@link #close()} stops them and deletes their directories.
   *
   * @throws IllegalStateException when there is no Java 17, an address is not local, or a node does
   *     not start (the message names its log); the nodes started so far are killed
   */
  public static CassandraCluster start(int size) {
    if (size < 1 || size > 254) {
      throw new IllegalArgumentException("A cluster has 1 to 254 nodes, not " + size);
    }
    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= size; i++) addresses.add("127.0.0." + i);
    int[] ports = Ports.free(addresses, 2);
    Path java = Java17.find();
    Path base = CassandraNode.tempDirectory("tessera-cassandra-cluster-");
    CassandraNode.deleteAtExit(base);
    String name = CassandraNode.clusterName();
    String seed = addresses.get(0) + ":" + ports[1];
    List<CassandraNode> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      NodeConfig config =
          new NodeConfig(
              name,
              addresses.get(i),
              ports[0],
              ports[1],
              seed,
              base.resolve("node" + (i + 1)),
              CassandraNode.HEAP_MB);
      nodes.add(new CassandraNode(config, java, false));
    }
    CassandraCluster cluster = new CassandraCluster(nodes, base);
    long t0 = System.nanoTime();
    try {
      // The seed first: a node that finds no seed gives up. The others then start together.
      nodes.get(0).restart();
      List<CassandraNode> rest = nodes.subList(1, size);
      for (CassandraNode n : rest) n.launch();
      for (CassandraNode n : rest) n.awaitCql();
      for (CassandraNode n : nodes) cluster.awaitSeesUp(n, nodes, zeroMarks(nodes));
    } catch (RuntimeException e) {
      for (CassandraNode n : nodes) n.kill();
      throw e;
    }
    LOG.info(
        "Cassandra cluster of {} nodes on {} serves after {} ms (directory {})",
        size,
        addresses,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
        base);
    return cluster;
  }

  private static Map<CassandraNode, Long> zeroMarks(List<CassandraNode> nodes) {
    Map<CassandraNode, Long> marks = new HashMap<>();
    for (CassandraNode n : nodes) marks.put(n, 0L);
    return marks;
  }

  /** The nodes, the seed first. */
  public List<CassandraNode> nodes() {
    return nodes;
  }

  /** The node at {@code index} (0 is the seed, on 127.0.0.1). */
  public CassandraNode node(int index) {
    return nodes.get(index);
  }

  /** Every node's CQL address, for a driver's contact points. */
  public List<InetSocketAddress> contactPoints() {
    return nodes.stream().map(CassandraNode::contactPoint).toList();
  }

  /** The cluster's one datacenter, a driver's local datacenter. */
  public String datacenter() {
    return NodeConfig.DATACENTER;
  }

  /** The folder that holds every node's directory. */
  public Path directory() {
    return directory;
  }

  /**
   * Restarts a node that was stopped or killed (its data and commit log are kept, so it replays
   * what it had acknowledged), and returns once it answers CQL and it and the running nodes see
   * each other up again.
   */
  public void restart(int index) {
    CassandraNode node = nodes.get(index);
    Map<CassandraNode, Long> marks = new HashMap<>();
    for (CassandraNode n : nodes) marks.put(n, n.logMark());
    node.restart();
    List<CassandraNode> running = nodes.stream().filter(CassandraNode::isRunning).toList();
    // The others must see the restarted node up again, and it must see them (its log after the
    // mark).
    for (CassandraNode n : running) if (n != node) awaitSeesUp(n, List.of(node), marks);
    awaitSeesUp(node, running, marks);
  }

  /**
   * Waits until {@code node}'s log shows every other node of {@code peers} up (gossip's "is now
   * UP", written after {@code marks}).
   */
  private void awaitSeesUp(
      CassandraNode node, List<CassandraNode> peers, Map<CassandraNode, Long> marks) {
    long deadline = System.nanoTime() + CassandraNode.START_TIMEOUT.toNanos();
    for (CassandraNode peer : peers) {
      if (peer == node) continue;
      String line = "InetAddress /" + peer.address() + ":" + peer.storagePort() + " is now UP";
      while (!node.logHas(line, marks.get(node))) {
        if (!node.isRunning()) {
          throw new IllegalStateException(
              "Cassandra node "
                  + node.contactPoint()
                  + " died while joining; see "
                  + node.systemLog()
                  + node.tail());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Cassandra node "
                  + node.address()
                  + " did not see "
                  + peer.address()
                  + " up within "
                  + CassandraNode.START_TIMEOUT.toSeconds()
                  + " s (no '"
                  + line
                  + "' in "
                  + node.systemLog()
                  + ")");
        }
        node.pauseOrExit(200);
      }
    }
  }

  /** Stops every node (SIGTERM to all at once, then each waited for) and deletes the folder. */
  @Override
  public void close() {
    for (CassandraNode n : nodes) n.signalStop();
    for (CassandraNode n : nodes) n.stop();
    CassandraNode.deleteTree(directory);
    CassandraNode.forgetAtExit(directory);
  }
}
