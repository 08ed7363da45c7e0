package dev.tessera.cassandra.server;

import java.io.IOException;
import java.io.InputStream;
import org.apache.cassandra.service.CassandraDaemon;

/** The server JVM's entry point: runs Cassandra, and stops it when the JVM that launched it dies. */
public final class ServerMain {
  /** How long the shutdown hooks (Cassandra drains itself) may take after the parent went away. */
  private static final long EXIT_GRACE_MS = 15_000;

  private ServerMain() {}

  /**
   * Starts the parent watch, then Cassandra's own daemon with the same arguments.
   *
   * @param args passed to {@link CassandraDaemon#main(String[])}
   */
  public static void main(String[] args) {
    Thread watch = new Thread(ServerMain::exitWhenParentGoes, "tessera-parent-watch");
    watch.setDaemon(true);
    watch.start();
    CassandraDaemon.main(args);
  }

  /**
   * The launcher holds this process's stdin open and never writes to it; end of input means the
   * launcher closed it (a stop) or its JVM died, even by kill -9, which no shutdown hook of the
   * parent can catch. So a test run that is aborted leaves no server behind.
   */
  private static void exitWhenParentGoes() {
    InputStream in = System.in;
    try {
      while (in.read() >= 0) {
        // Nothing is ever written; keep reading until end of input.
      }
    } catch (IOException e) {
      // A broken pipe means the same as end of input.
    }
    System.err.println("tessera: the launching JVM is gone (stdin closed); stopping Cassandra");
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(EXIT_GRACE_MS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              Runtime.getRuntime().halt(1);
            },
            "tessera-exit-grace");
    halt.setDaemon(true);
    halt.start();
    System.exit(0);
  }
}
