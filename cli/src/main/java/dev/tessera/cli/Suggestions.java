package dev.tessera.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean lucene?": the nearest of some names to what was typed, if it is near enough. */
final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate nearest to {@code given} by edit distance (case ignored), if it is at most a
   * third of the longer name away (at least 1, at most 3 edits): {@code lucen} finds {@code
   * lucene}, {@code foo} finds nothing.
   */
  static Optional<String> nearest(String given, Collection<String> candidates) {
    if (given == null || given.isBlank()) return Optional.empty();
    String g = given.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int limit = Math.min(3, Math.max(1, Math.max(g.length(), c.length()) / 3));
      int d = new LevenshteinDistance(limit).apply(g, c.toLowerCase(Locale.ROOT));
      if (d >= 0 && d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
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
