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
  /** Exit status of a command that failed. */
  static final int ERROR = 1;

  private Main() {}

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command with the given streams and returns its exit status: 0 ok, 1 error, 2 usage;
   * {@code index} and {@code reindex} add 3 (done, but some inputs were skipped) and 130
   * (interrupted).
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    Logging.configure(verbose);
    CommandLine cl = commandLine(out, err);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          err.println("tessera: " + describe(ex, verbose));
          if (verbose) ex.printStackTrace(err);
          return ERROR;
        });
    return cl.execute(args);
  }

  /** The command tree with its streams and error handling, as {@link #run} executes it. */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new TesseraCommand(out, err));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler(new UsageErrors(err));
    return cl;
  }

  /** One line for an error: our own exceptions already say what to do; others get their type. */
  static String describe(Throwable ex, boolean verbose) {
    if (ex instanceof TesseraException || ex instanceof IllegalArgumentException) {
      return ex.getMessage();
    }
    if (ex instanceof UncheckedIOException u && u.getMessage() != null) {
      return u.getMessage();
    }
    String m = ex.getMessage();
    return ex.getClass().getSimpleName()
        + (m == null ? "" : ": " + m)
        + (verbose ? "" : " (run again with --verbose for the stack trace)");
  }
}
