package dev.tessera.store.memory.collection;

import dev.tessera.api.collection.VectorCollection;
import java.nio.file.Path;

/**
 * A child JVM for the lock tests: opens the collection named by its argument for writing, says
 * {@code LOCKED}, and holds it until its standard input closes (or it is killed).
 */
public final class LockHolder {
  private LockHolder() {}

  /** Entry point: {@code LockHolder <collection dir>}. */
  public static void main(String[] args) throws Exception {
    try (VectorCollection c = VectorCollection.open(Path.of(args[0]))) {
      System.out.println("LOCKED " + c.generation());
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the lock until the parent closes our input
      }
    }
  }

  /** Starts a holder of {@code dir} and waits (bounded) until it holds the lock. */
  static Process start(Path dir) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    long deadline = System.nanoTime() + 60_000_000_000L;
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("LOCKED")) return p;
      if (System.nanoTime() > deadline) break;
    }
    p.destroyForcibly();
    throw new AssertionError("the lock holder did not start: last line " + line);
  }
}
