package dev.tessera.cli;

import dev.tessera.api.TesseraException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Entry point of the {@code tessera} command: sets up logging, runs picocli, turns errors into one
 * line.
 */
public final class Main {
  /** Held strongly: java.util.logging forgets the level of loggers nobody references. */
  private static final java.util.logging.Logger JVECTOR_POOL_LOG =
      java.util.logging.Logger.getLogger("io.github.jbellis.jvector.util.PhysicalCoreExecutor");

  private Main() {}

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command with the given streams and returns its exit status (0 ok, 1 error, 2 usage).
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    // slf4j-simple reads this once, when the first logger is made: set it before anything logs.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
    // The tokenizer library warns on every start that it found no CUDA driver; that is not news on
    // a CPU.
    System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda", verbose ? "debug" : "error");
    // Lucene logs through java.util.logging (e.g. its Vector API line): same switch.
    java.util.logging.Level julLevel =
        verbose ? java.util.logging.Level.FINE : java.util.logging.Level.WARNING;
    java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    julRoot.setLevel(julLevel);
    for (java.util.logging.Handler h : julRoot.getHandlers()) h.setLevel(julLevel);
    // JVector warns on every start that it re-sized its worker pool to the physical cores: not
    // actionable.
    JVECTOR_POOL_LOG.setLevel(
        verbose ? java.util.logging.Level.FINE : java.util.logging.Level.SEVERE);
    CommandLine cl = new CommandLine(new TesseraCommand(out, err));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          err.println("tessera: " + describe(ex));
          if (verbose) {
            ex.printStackTrace(err);
          }
          return 1;
        });
    return cl.execute(args);
  }

  /** One line for an error: our own exceptions already say what to do; others get their type. */
  static String describe(Throwable ex) {
    if (ex instanceof TesseraException || ex instanceof IllegalArgumentException) {
      return ex.getMessage();
    }
    if (ex instanceof UncheckedIOException u && u.getMessage() != null) {
      return u.getMessage();
    }
    String m = ex.getMessage();
    return ex.getClass().getSimpleName()
        + (m == null ? "" : ": " + m)
        + " (run again with --verbose for details)";
  }
}
