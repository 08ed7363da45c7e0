package dev.tessera.bench.parity;

import dev.tessera.cassandra.launcher.CassandraCluster;
import dev.tessera.cassandra.launcher.CassandraNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cassandra} store on real Cassandra 5.0 nodes that this row starts with the project's
 * launcher (each in its own Java 17 JVM, loopback only) and stops when it closes: one node on
 * 127.0.0.1 (replication factor 1), or a cluster on 127.0.0.1..n with replication factor n and
 * QUORUM writes. The store is then driven through the SPI like every other {@link SpiEngine} row,
 * committed every {@value #COMMIT_EVERY} records (a commit's journal is one Cassandra partition).
 * The knob is {@code search-beam}, the ids SAI ranks per modality. The build (timed by the runner)
 * is the ingest and its commits only; before the first search the row waits, untimed, until the
 * nodes' compactions have quietened (their processes' CPU use).
 */
final class CassandraEngine implements Engine {
  private static final Logger LOG = LoggerFactory.getLogger(CassandraEngine.class);

  /** Records per commit. */
  static final int COMMIT_EVERY = 10_000;

  /** The settle wait's window, quiet threshold (share of one core, all nodes) and cap. */
  private static final long WINDOW_MS = 5_000;

  private static final double QUIET_CORES = 0.15;
  private static final long SETTLE_CAP_MS = 300_000;

  private final String label;
  private final int nodes;
  private final List<String> efforts;
  private CassandraNode node;
  private CassandraCluster cluster;
  private List<Long> pids = List.of();
  private Map<String, String> settings;
  private SpiEngine store;
  private boolean settled;

  CassandraEngine(String label, int nodes, List<String> efforts) {
    this.label = label;
    this.nodes = nodes;
    this.efforts = efforts;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public String knob() {
    return "search-beam";
  }

  @Override
  public List<String> efforts() {
    return efforts;
  }

  /** The same row with other knob values. */
  CassandraEngine withEfforts(List<String> efforts) {
    return new CassandraEngine(label, nodes, efforts);
  }

  @Override
  public void start() {
    long t0 = System.nanoTime();
    String contactPoints;
    String datacenter;
    if (nodes == 1) {
      node = CassandraNode.start();
      contactPoints = node.address() + ":" + node.nativePort();
      datacenter = node.datacenter();
      pids = List.of(node.pid());
    } else {
      cluster = CassandraCluster.start(nodes);
      contactPoints =
          cluster.contactPoints().stream()
              .map(a -> a.getHostString() + ":" + a.getPort())
              .collect(Collectors.joining(","));
      datacenter = cluster.datacenter();
      pids = cluster.nodes().stream().map(CassandraNode::pid).toList();
    }
    LOG.info(
        "{}: {} Cassandra node(s) at {} serve after {} s",
        label,
        nodes,
        contactPoints,
        (System.nanoTime() - t0) / 1e9);
    settings =
        Map.of(
            "contact-points",
            contactPoints,
            "local-datacenter",
            datacenter,
            "keyspace",
            "parity",
            "replication-factor",
            Integer.toString(nodes),
            "write-consistency",
            "QUORUM");
  }

  @Override
  public void build(ParityData data, Path dir) throws IOException {
    int commits = Math.max(1, (data.corpus().length + COMMIT_EVERY - 1) / COMMIT_EVERY);
    store = new SpiEngine(label, "cassandra", knob(), efforts, commits, false, settings);
    store.build(data, dir);
  }

  @Override
  public void useEffort(String effort) throws IOException {
    if (!settled) {
      settle();
      settled = true;
    }
    store.useEffort(effort);
  }

  /**
   * Waits until the nodes use less than {@link #QUIET_CORES} of a core over a window, or the cap.
   */
  private void settle() {
    long t0 = System.currentTimeMillis();
    long before = cpuTicks();
    while (System.currentTimeMillis() - t0 < SETTLE_CAP_MS) {
      try {
        Thread.sleep(WINDOW_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long now = cpuTicks();
      double cores = (now - before) / 100.0 / (WINDOW_MS / 1000.0); // USER_HZ is 100 on Linux
      before = now;
      LOG.info(
          "{}: nodes use {} cores", label, String.format(java.util.Locale.ROOT, "%.2f", cores));
      if (cores < QUIET_CORES) break;
    }
    LOG.info("{}: settled after {} s", label, (System.currentTimeMillis() - t0) / 1000.0);
  }

  /** The nodes' processes' user + system CPU time in clock ticks (0 where /proc can't tell). */
  private long cpuTicks() {
    long sum = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      } catch (IOException | RuntimeException e) {
        // not Linux, or the node is gone: no wait
      }
    }
    return sum;
  }

  @Override
  public int[] search(float[] query, int k, ParityCase c) throws IOException {
    return store.search(query, k, c);
  }

  @Override
  public void close() throws IOException {
    try {
      if (store != null) store.close();
    } finally {
      if (node != null) node.close();
      if (cluster != null) cluster.close();
      node = null;
      cluster = null;
    }
  }
}
