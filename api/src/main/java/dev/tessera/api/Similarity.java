package dev.tessera.api;

import java.util.Locale;

/**
 * How two vectors are compared. Every score Tessera returns is "higher is better":
 *
 * <ul>
 *   <li>{@link #COSINE}: the cosine of the angle, in [-1, 1];
 *   <li>{@link #DOT_PRODUCT}: the raw dot product;
 *   <li>{@link #EUCLIDEAN}: {@code 1 / (1 + d²)} where d² is the squared euclidean distance, in (0,
 *       1].
 * </ul>
 *
 * Backends must report scores on exactly this scale so results from different stores compare;
 * {@code dev.tessera.api.search.QueryScorer} computes them.
 */
public enum Similarity {
  /** Cosine of the angle between the vectors. */
  COSINE("cosine"),
  /** Dot product; meaningful for normalized vectors or models trained for it. */
  DOT_PRODUCT("dot"),
  /** Euclidean distance, reported as {@code 1 / (1 + squaredDistance)}. */
  EUCLIDEAN("euclidean");

  private final String id;

  Similarity(String id) {
    this.id = id;
  }

  /** The short name used in fingerprints and on the command line. */
  public String id() {
    return id;
  }

  /** Converts a squared euclidean distance to the {@link #EUCLIDEAN} score. */
  public static float fromSquaredDistance(float squaredDistance) {
    return 1f / (1f + squaredDistance);
  }

  /**
   * Parses {@code cosine}, {@code dot} (or {@code dot_product}) and {@code euclidean} (or {@code
   * l2}).
   */
  public static Similarity parse(String value) {
    if (value != null) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      switch (v) {
        case "cosine", "cos" -> {
          return COSINE;
        }
        case "dot", "dot_product", "dotproduct", "ip" -> {
          return DOT_PRODUCT;
        }
        case "euclidean", "l2" -> {
          return EUCLIDEAN;
        }
        default -> {}
      }
    }
    throw new IllegalArgumentException(
        "Unknown similarity '" + value + "': use 'cosine', 'dot' or 'euclidean'.");
  }
}
