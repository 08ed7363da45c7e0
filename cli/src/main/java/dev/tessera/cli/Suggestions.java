package dev.tessera.cli;

import dev.tessera.api.spi.Names;
import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean lucene?": the nearest of some names to what was typed, if it is near enough. The
 * distance rule is the api's ({@link Names#nearest}), so the command line and the library suggest
 * the same names.
 */
final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate that equals {@code given} but for case, else the api's nearest name (a typo's
   * distance: {@code lucen} finds {@code lucene}, {@code foo} finds nothing).
   */
  static Optional<String> nearest(String given, Collection<String> candidates) {
    if (given == null || given.isBlank()) return Optional.empty();
    for (String c : candidates) if (c.equalsIgnoreCase(given)) return Optional.of(c);
    return Optional.ofNullable(Names.nearest(given, candidates));
  }

  /**
   * The message for an unknown name of some {@code kind} ("store"): what is missing, the nearest
   * name if there is one, and every name there is.
   */
  static String unknown(String kind, String given, Collection<String> names) {
    return "no "
        + kind
        + " called '"
        + given
        + "' is on the class path."
        + didYouMean(given, names)
        + " Available: "
        + (names.isEmpty() ? "none" : String.join(", ", names))
        + ".";
  }

  /** {@code " Did you mean 'x'?"} for the nearest candidate, or an empty string. */
  static String didYouMean(String given, Collection<String> candidates) {
    return nearest(given, candidates).map(n -> " Did you mean '" + n + "'?").orElse("");
  }
}
