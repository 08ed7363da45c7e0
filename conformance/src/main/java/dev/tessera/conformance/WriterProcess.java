package dev.tessera.conformance;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CrashWriter} running in a child JVM, as the kit's process tests start it: its stdout is
 * read line by line on a daemon thread, its stderr goes to a file, and {@link #kill()} is {@code
 * kill -9} (its {@link ProcessHandle#destroyForcibly()}).
 */
final class WriterProcess implements AutoCloseable {
  private static final String EOF = "\u0000eof";

  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final List<String> lines = new ArrayList<>();
  private int lastCommitted = -1;
  private int lastCommitting = -1;

  private WriterProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) queue.add(line);
              } catch (IOException e) {
                // the process was killed: its stdout closes
              } finally {
                queue.add(EOF);
              }
            },
            "conformance-writer-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code java <jvmArguments> -cp <this class path> CrashWriter <arguments>}, its stderr
   * written to {@code stderr}.
   */
  static WriterProcess start(List<String> jvmArguments, List<String> arguments, Path stderr)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArguments);
    command.add("-cp");
    command.add(classPath());
    command.add(CrashWriter.class.getName());
    command.addAll(arguments);
    return new WriterProcess(
        new ProcessBuilder(command).redirectError(stderr.toFile()).start(), stderr);
  }

  /**
   * Reads lines until the writer reports batch {@code batch} committed; false when its output ended
   * first.
   */
  boolean awaitCommitted(int batch) throws InterruptedException {
    while (lastCommitted < batch) {
      if (next() == null) return false;
    }
    return true;
  }

  /** Reads lines until one equals {@code line}; false when the output ended first. */
  boolean awaitLine(String line) throws InterruptedException {
    for (String l; (l = next()) != null; ) if (l.equals(line)) return true;
    return false;
  }

  /**
   * The next line, or null at the end of the output. The wait is a safety net against a writer that
   * hangs, not a timing assertion.
   */
  private String next() throws InterruptedException {
    String line = queue.poll(5, TimeUnit.MINUTES);
    if (line == null || line.equals(EOF)) {
      queue.add(EOF); // the end stays the end for the next call
      return null;
    }
    lines.add(line);
    if (line.startsWith(CrashWriter.COMMITTED))
      lastCommitted = Integer.parseInt(line.substring(CrashWriter.COMMITTED.length()).trim());
    if (line.startsWith(CrashWriter.COMMITTING))
      lastCommitting = Integer.parseInt(line.substring(CrashWriter.COMMITTING.length()).trim());
    return line;
  }

  /** The last batch the writer reported committed, or -1. */
  int lastCommitted() {
    return lastCommitted;
  }

  /** The last batch whose commit the writer announced it was about to call, or -1. */
  int lastCommitting() {
    return lastCommitting;
  }

  /** After {@link #kill()}: reads what the writer printed before it died, to the end. */
  void drain() throws InterruptedException {
    while (next() != null) {
      // every line updates lastCommitted and lastCommitting
    }
  }

  /**
   * {@code kill -9}: the writer gets no chance to close anything; waits until it is gone. Signals
   * through the {@link ProcessHandle}: {@link Process#destroyForcibly()} also closes this side of
   * the stdout pipe, so lines the writer had printed but the reader thread had not read yet were
   * lost, and a writer killed inside commit b could read as never having announced it (seen under
   * load: a correct store's commit-3 state judged against commit 2).
   */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  /** What the writer printed so far and its stderr, for a failure message. */
  String output() {
    String err;
    try {
      err = Files.exists(stderr) ? Files.readString(stderr) : "";
    } catch (IOException e) {
      err = "(unreadable: " + e + ")";
    }
    return "its output: " + lines + "; its errors: " + err;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /**
   * The JVM's class path, plus the jars of the class loader that loaded the kit when that is not
   * the application's (the CLI loads the kit and JUnit from a folder of their own).
   */
  static String classPath() {
    String cp = System.getProperty("java.class.path");
    if (WriterProcess.class.getClassLoader() instanceof URLClassLoader kit) {
      StringBuilder b = new StringBuilder(cp);
      for (URL u : kit.getURLs()) {
        try {
          b.append(File.pathSeparator).append(Path.of(u.toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
          // not a file: the child can not use it either
        }
      }
      return b.toString();
    }
    return cp;
  }
}
