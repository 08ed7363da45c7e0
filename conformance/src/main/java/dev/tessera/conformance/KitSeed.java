package dev.tessera.conformance;

import java.security.SecureRandom;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * The kit's seed: pinned by {@value ConformanceSupport#SEED_PROPERTY} or drawn once per JVM, and
 * the rerun line that every failure's message starts with.
 */
final class KitSeed {
  /** What a failure message starts with, so a message is never prefixed twice. */
  static final String PREFIX = "[conformance] store=";

  private KitSeed() {}

  /** The seed that {@code property} pins, or a fresh one when it is unset, blank or "random". */
  static long fromProperty(String property) {
    if (property == null || property.isBlank() || property.strip().equals("random")) {
      return new SecureRandom().nextLong() & Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(property.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D"
              + ConformanceSupport.SEED_PROPERTY
              + "='"
              + property
              + "' is not a seed: give a whole number, or 'random' (or nothing) to draw one.",
          e);
    }
  }

  /** The line that reruns exactly this test with this seed. */
  static String rerunLine(String store, long seed, ExtensionContext context) {
    String test =
        context.getRequiredTestClass().getSimpleName()
            + "#"
            + context.getRequiredTestMethod().getName();
    return PREFIX
        + store
        + " seed="
        + seed
        + " rule="
        + context.getRequiredTestMethod().getName()
        + "; rerun with: mvn test -Dtest='"
        + test
        + "' -D"
        + ConformanceSupport.SEED_PROPERTY
        + "="
        + seed;
  }

  /**
   * {@code cause} with the rerun line in front of its message; skips (assumptions) and messages
   * that already carry it are returned as they are.
   */
  static Throwable withRerunLine(
      Throwable cause, String store, long seed, ExtensionContext context) {
    if (cause instanceof TestAbortedException) return cause;
    String message = String.valueOf(cause.getMessage());
    if (message.startsWith(PREFIX)) return cause;
    String head = rerunLine(store, seed, context);
    AssertionError named =
        new AssertionError(
            head
                + "\n"
                + (cause instanceof AssertionError ? "" : cause.getClass().getName() + ": ")
                + message,
            cause);
    named.setStackTrace(cause.getStackTrace());
    return named;
  }
}
