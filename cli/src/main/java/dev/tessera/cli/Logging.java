package dev.tessera.cli;

/**
 * The command's log levels, set once before anything logs. Quiet by default: warnings only, from
 * SLF4J, {@code System.Logger} and {@code java.util.logging} alike, minus the third-party warnings
 * nobody can act on. {@code --verbose} turns on Tessera's own progress logs; other libraries stay
 * at warnings (their debug output, e.g. the JDK's stack trace for every process started or every
 * exit, is noise, not detail).
 */
final class Logging {
  /** Held strongly: java.util.logging forgets the level of loggers nobody references. */
  private static final java.util.logging.Logger JVECTOR_POOL_LOG =
      java.util.logging.Logger.getLogger("io.github.jbellis.jvector.util.PhysicalCoreExecutor");

  private Logging() {}

  static void configure(boolean verbose) {
    // slf4j-simple reads these once, when the first logger is made.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.dev.tessera", verbose ? "debug" : "warn");
    // The tokenizer library warns twice on every start that it found no CUDA driver: it runs on the
    // CPU either way, so there is nothing to act on.
    System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda", "error");
    // Lucene, JVector and ONNX Runtime log through java.util.logging (their Vector API and native
    // library lines): warnings only. Tessera's own System.Logger goes to SLF4J (above).
    java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    julRoot.setLevel(java.util.logging.Level.WARNING);
    for (java.util.logging.Handler h : julRoot.getHandlers()) {
      h.setLevel(java.util.logging.Level.WARNING);
    }
    // JVector warns on every start that it re-sized its worker pool to the physical cores.
    JVECTOR_POOL_LOG.setLevel(java.util.logging.Level.SEVERE);
  }
}
