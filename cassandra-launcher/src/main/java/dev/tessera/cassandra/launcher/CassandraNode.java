package dev.tessera.cassandra.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Cassandra 5.0 node in its own Java 17 JVM on a loopback address, configured in a
 * directory of its own.
 *
 * <p>Writes are durable: the commit log is synced in batch mode, so the node acknowledges a write
 * only after it is on disk and a kill -9 loses nothing that was acknowledged (what fault tests rely
 * on). The server's JVM dies with the JVM that started it: it exits when its stdin (a pipe held
 * here) closes, which happens even when this JVM is killed with -9; a shutdown hook also stops
 * every node on a normal exit.
 */
public final class CassandraNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CassandraNode.class);

  /** How long a start may take before it fails: {@code -Dtessera.cassandra.startTimeoutSeconds}. */
  static final Duration START_TIMEOUT =
      Duration.ofSeconds(Long.getLong("tessera.cassandra.startTimeoutSeconds", 300));

  /** How long a stop waits after SIGTERM (Cassandra drains, 5-9 s here) before it kills. */
  static final Duration STOP_GRACE = Duration.ofSeconds(30);

  /**
   * The server's heap, 512 MiB unless {@code -Dtessera.cassandra.heapMb} says otherwise (a
   * benchmark loading 100k vectors gives more); RSS is about this much more a little, since
   * Cassandra locks its memory.
   */
  static final int HEAP_MB = Integer.getInteger("tessera.cassandra.heapMb", 512);

  private static final Set<CassandraNode> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<Path> DELETE_AT_EXIT = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(CassandraNode::stopAllAtExit, "tessera-cassandra-stop"));
  }

  private final NodeConfig config;
  private final Path java;
  private final boolean ownsDirectory;
  private Process process;
  private Duration lastStart = Duration.ZERO;

  CassandraNode(NodeConfig config, Path java, boolean ownsDirectory) {
    this.config = config;
    this.java = java;
    this.ownsDirectory = ownsDirectory;
  }

  /**
   * Starts one node on 127.0.0.1 with free ports in a new temporary directory, and returns once it
   * answers CQL. {@link #close()} stops it and deletes the directory.
   *
   * @throws IllegalStateException when there is no Java 17, or the node does not start (the message
   *     names its log)
   */
  public static CassandraNode start() {
    String address = "127.0.0.1";
    int[] ports = Ports.free(List.of(address), 2);
    NodeConfig config =
        new NodeConfig(
            clusterName(),
            address,
            ports[0],
            ports[1],
            address + ":" + ports[1],
            tempDirectory("tessera-cassandra-"),
            HEAP_MB);
    CassandraNode node = new CassandraNode(config, Java17.find(), true);
    deleteAtExit(config.directory());
    node.restart();
    return node;
  }

  static String clusterName() {
    return "tessera-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  }

  static Path tempDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a directory for a Cassandra node", e);
    }
  }

  /**
   * Starts the server's JVM (again, after {@link #stop()} or {@link #kill()}: same directory, data
   * and ports) and returns once it answers CQL.
   *
   * @throws IllegalStateException when it is running already, or it does not start in time
   */
  public void restart() {
    long t0 = System.nanoTime();
    launch();
    awaitCql();
    lastStart = Duration.ofNanos(System.nanoTime() - t0);
    LOG.info(
        "Cassandra node {} answers CQL after {} ms (pid {}, log {})",
        contactPoint(),
        lastStart.toMillis(),
        pid(),
        systemLog());
  }

  /** Starts the server's JVM without waiting for it: a cluster starts several at once. */
  synchronized void launch() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(
          "Cassandra node " + contactPoint() + " is running already (pid " + process.pid() + ")");
    }
    try {
      config.write(ServerClasspath.entries());
      ProcessBuilder pb =
          new ProcessBuilder(java.toString(), "@" + config.argFile())
              .directory(config.directory().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(config.consoleLog().toFile()));
      // stdin stays a pipe that is never written: the server exits when it closes (see ServerMain).
      process = pb.start();
      LIVE.add(this);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start " + java + " for a Cassandra node in " + config.directory(), e);
    }
  }

  /** Waits until the node answers CQL, failing early when its JVM exits. */
  void awaitCql() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Process p = currentProcess();
    while (!CqlProbe.answers(contactPoint(), 1_000)) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "Cassandra node "
                + contactPoint()
                + " exited with status "
                + p.exitValue()
                + " while starting; see "
                + systemLog()
                + " and "
                + config.consoleLog()
                + tail());
      }
      if (System.nanoTime() > deadline) {
        kill();
        throw new IllegalStateException(
            "Cassandra node "
                + contactPoint()
                + " did not answer CQL within "
                + START_TIMEOUT.toSeconds()
                + " s (killed it); see "
                + systemLog()
                + tail()
                + "\nA busy machine starts slower: raise -Dtessera.cassandra.startTimeoutSeconds");
      }
      try {
        pauseOrExit(250);
      } catch (IllegalStateException e) {
        kill();
        throw e;
      }
    }
  }

  /**
   * Stops the node: SIGTERM (Cassandra drains and flushes), then a kill after {@link #STOP_GRACE}.
   * Does nothing when it is not running.
   */
  public void stop() {
    Process p = currentProcess();
    if (p == null) return;
    p.destroy();
    if (p.isAlive() && !waitFor(p, STOP_GRACE)) {
      LOG.warn(
          "Cassandra node {} did not stop within {} s of SIGTERM; killing it",
          contactPoint(),
          STOP_GRACE.toSeconds());
      p.destroyForcibly();
      waitFor(p, STOP_GRACE);
    }
    closeStreams(p);
    LIVE.remove(this);
  }

  /** Sends SIGTERM without waiting, so several nodes drain at once; {@link #stop()} then waits. */
  void signalStop() {
    Process p = currentProcess();
    if (p != null) p.destroy();
  }

  /**
   * Waits up to {@code ms} for the node's JVM to exit: a pause between two looks at something the
   * node is doing, cut short when it dies.
   */
  void pauseOrExit(long ms) {
    Process p = currentProcess();
    if (p == null) return;
    try {
      p.onExit().get(ms, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // Still running: look again.
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted while waiting for Cassandra node " + contactPoint(), e);
    }
  }

  /** Kills the node at once (SIGKILL, like a crash) and waits until its JVM is gone. */
  public void kill() {
    Process p = currentProcess();
    if (p == null) return;
    p.destroyForcibly();
    waitFor(p, STOP_GRACE);
    closeStreams(p);
    LIVE.remove(this);
  }

  /** Stops the node and deletes its directory when the launcher created it. */
  @Override
  public void close() {
    stop();
    if (ownsDirectory) {
      deleteTree(config.directory());
      forgetAtExit(config.directory());
    }
  }

  /** The byte length of the system log now: a mark to look for lines written after it. */
  long logMark() {
    try {
      return Files.isRegularFile(systemLog()) ? Files.size(systemLog()) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Whether the system log holds {@code text} in what was written after {@code mark}. */
  boolean logHas(String text, long mark) {
    try (var in = Files.newInputStream(systemLog())) {
      in.skipNBytes(Math.min(mark, Files.size(systemLog())));
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the server's JVM is running. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The server JVM's process id (of the last start). */
  public synchronized long pid() {
    if (process == null)
      throw new IllegalStateException("Cassandra node " + contactPoint() + " was never started");
    return process.pid();
  }

  /** Where a driver connects: the node's address and CQL port. */
  public InetSocketAddress contactPoint() {
    return new InetSocketAddress(config.address(), config.nativePort());
  }

  /** The node's datacenter, which a driver needs as its local datacenter. */
  public String datacenter() {
    return NodeConfig.DATACENTER;
  }

  /** The loopback address the node listens on. */
  public String address() {
    return config.address();
  }

  /** The CQL (native transport) port. */
  public int nativePort() {
    return config.nativePort();
  }

  /** The port other nodes talk to this one on. */
  public int storagePort() {
    return config.storagePort();
  }

  /** The node's directory: configuration, data, commit log and logs. */
  public Path directory() {
    return config.directory();
  }

  /** The server's log (INFO and above). */
  public Path systemLog() {
    return config.systemLog();
  }

  /** How long the last start took, from launching the JVM until CQL answered. */
  public Duration lastStartTime() {
    return lastStart;
  }

  @Override
  public String toString() {
    return "CassandraNode[" + contactPoint() + ", " + config.directory() + "]";
  }

  /** The process of the last start (alive or not), or null before the first. */
  private synchronized Process currentProcess() {
    return process;
  }

  private static boolean waitFor(Process p, Duration d) {
    try {
      return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return false;
    }
  }

  private static void closeStreams(Process p) {
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      // The process is gone; its pipe may be closed already.
    }
  }

  /** The last lines of the node's logs, for a failure message. */
  String tail() {
    StringBuilder sb = new StringBuilder();
    for (Path log : List.of(config.consoleLog(), config.systemLog())) {
      try {
        if (!Files.isRegularFile(log)) continue;
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        if (lines.isEmpty()) continue;
        sb.append("\n--- last lines of ").append(log).append(" ---\n");
        for (String l : lines.subList(Math.max(0, lines.size() - 15), lines.size()))
          sb.append(l).append('\n');
      } catch (IOException | UncheckedIOException e) {
        sb.append("\n(cannot read ").append(log).append(": ").append(e.getMessage()).append(')');
      }
    }
    return sb.toString();
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not delete {}: {}", dir, e.getMessage());
    }
  }

  /** On exit: SIGTERM to every node at once, then a kill for any still running after the grace. */
  private static void stopAllAtExit() {
    List<CassandraNode> nodes = new ArrayList<>(LIVE);
    for (CassandraNode n : nodes) {
      Process p = n.process;
      if (p != null) p.destroy();
    }
    for (CassandraNode n : nodes) {
      Process p = n.process;
      if (p != null && !waitFor(p, STOP_GRACE)) p.destroyForcibly();
    }
    for (Path dir : DELETE_AT_EXIT) deleteTree(dir);
  }

  /** Deletes {@code dir} when this JVM exits, after every node was stopped (a cluster's folder). */
  static void deleteAtExit(Path dir) {
    DELETE_AT_EXIT.add(dir);
  }

  /** Forgets a folder {@link #deleteAtExit} registered, once it was deleted already. */
  static void forgetAtExit(Path dir) {
    DELETE_AT_EXIT.remove(dir);
  }
}
