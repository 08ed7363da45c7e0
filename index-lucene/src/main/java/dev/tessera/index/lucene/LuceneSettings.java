package dev.tessera.index.lucene;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.spi.StoreContext;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code lucene} store's settings with their defaults. Build settings ({@code max-connections},
 * {@code beam-width}, {@code quantization}) are fixed when the store is created and recorded in
 * every Lucene commit; the others apply to the open that passes them.
 *
 * @param maxConnections HNSW max connections per node, Lucene's {@code maxConn} ({@value
 *     #MAX_CONNECTIONS}, default 16)
 * @param beamWidth HNSW candidates considered per insert, Lucene's {@code beamWidth} ({@value
 *     #BEAM_WIDTH}, default 100)
 * @param quantization how the graph's vectors are compressed ({@value #QUANTIZATION}: none, int8,
 *     int4 or bbq; default none)
 * @param overQuery extra candidates asked of Lucene per search beyond k, rescored exactly ({@value
 *     #OVER_QUERY}, default {@link #DEFAULT_OVER_QUERY}, so k=10 searches 50 candidates)
 * @param ramBufferMb indexing buffer before Lucene flushes a segment ({@value #RAM_BUFFER_MB},
 *     default 64)
 * @param exactBelow a metadata filter estimated to match fewer records than this is scored exactly
 *     instead of walking the graph ({@value #EXACT_BELOW}, default {@link #DEFAULT_EXACT_BELOW}; 0
 *     always walks)
 */
public record LuceneSettings(
    int maxConnections,
    int beamWidth,
    Quantization quantization,
    int overQuery,
    int ramBufferMb,
    int exactBelow) {
  /** Setting key: HNSW max connections (build). */
  public static final String MAX_CONNECTIONS = "max-connections";

  /** Setting key: HNSW construction beam width (build). */
  public static final String BEAM_WIDTH = "beam-width";

  /** Setting key: scalar quantization of the graph's vectors (build). */
  public static final String QUANTIZATION = "quantization";

  /** Setting key: extra kNN candidates per search (search). */
  public static final String OVER_QUERY = "over-query";

  /** Setting key: indexing RAM buffer in MiB (writer). */
  public static final String RAM_BUFFER_MB = "ram-buffer-mb";

  /** Setting key: filter matches below which the matches are scored exactly (search). */
  public static final String EXACT_BELOW = "exact-below";

  /**
   * Default of {@link #EXACT_BELOW}: where scoring a filter's matches exactly and Lucene's filtered
   * HNSW walk cost the same. Measured with {@code ShapeHarness} (100k x 512 CLIP-like vectors, one
   * segment, k = 10, over-query 40, 1 thread): 7,000 matches scored exactly ran 243 QPS against 179
   * for the walk, 10,000 ran 168 against 358 (3,000: 840 vs 233; 1,000: 1856 vs 466), so the
   * crossover is near 8,000.
   */
  public static final int DEFAULT_EXACT_BELOW = 8_000;

  /**
   * Default of {@link #OVER_QUERY}: the knee measured by the bench harness (100k x 512 CLIP-like
   * mixed vectors in one segment, 500 queries, 1 thread): over-query 30 gave recall@10 0.981, 40
   * gave 0.996 (0.9915 after 10 commits of 10k), 90 gave 0.9996 at half the QPS of 40.
   */
  public static final int DEFAULT_OVER_QUERY = 40;

  /** Every key this store accepts. */
  public static final Set<String> NAMES =
      Set.of(MAX_CONNECTIONS, BEAM_WIDTH, QUANTIZATION, OVER_QUERY, RAM_BUFFER_MB, EXACT_BELOW);

  /** The keys fixed at creation and checked on every open. */
  static final Set<String> BUILD_NAMES = Set.of(MAX_CONNECTIONS, BEAM_WIDTH, QUANTIZATION);

  /**
   * The defaults: Lucene's own HNSW defaults, no quantization, 40 extra candidates, 64 MiB buffer,
   * filters under 8,000 matches scored exactly.
   */
  public static final LuceneSettings DEFAULTS =
      new LuceneSettings(16, 100, Quantization.NONE, DEFAULT_OVER_QUERY, 64, DEFAULT_EXACT_BELOW);

  /**
   * How the vectors the HNSW graph walks are stored; the raw floats are always kept for exact
   * rescoring.
   */
  public enum Quantization {
    /** Raw 32-bit floats ({@code Lucene99HnswVectorsFormat}). */
    NONE("none"),
    /**
     * 7-bit scalar quantization, one byte per dimension ({@code
     * Lucene99HnswScalarQuantizedVectorsFormat}, bits=7).
     */
    INT8("int8"),
    /**
     * 4-bit scalar quantization packed two per byte ({@code
     * Lucene99HnswScalarQuantizedVectorsFormat}, bits=4, compress).
     */
    INT4("int4"),
    /**
     * Binary quantization, one bit per dimension plus corrections ({@code
     * Lucene102HnswBinaryQuantizedVectorsFormat}, "BBQ"); the walk's candidates are rescored on the
     * raw floats, so recall comes from the over-query.
     */
    BBQ("bbq");

    private final String id;

    Quantization(String id) {
      this.id = id;
    }

    /** The setting value. */
    public String id() {
      return id;
    }

    /** Parses a setting value; the error lists the accepted ones. */
    public static Quantization parse(String value) {
      String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
      for (Quantization q : values()) {
        if (q.id.equals(v)) return q;
      }
      throw new IllegalArgumentException(
          "Store setting "
              + QUANTIZATION
              + "="
              + value
              + " is invalid: use none, int8, int4 or bbq.");
    }
  }

  /** Validates the ranges (the same as Lucene's own limits). */
  public LuceneSettings {
    if (maxConnections < 2 || maxConnections > 512) {
      throw new IllegalArgumentException(
          MAX_CONNECTIONS + "=" + maxConnections + " is out of range: use 2 to 512.");
    }
    if (beamWidth < 1 || beamWidth > 3200) {
      throw new IllegalArgumentException(
          BEAM_WIDTH + "=" + beamWidth + " is out of range: use 1 to 3200.");
    }
    if (quantization == null)
      throw new IllegalArgumentException(QUANTIZATION + " must not be null.");
    if (overQuery < 1 || overQuery > 100_000) {
      throw new IllegalArgumentException(
          OVER_QUERY + "=" + overQuery + " is out of range: use 1 to 100000.");
    }
    if (exactBelow < 0 || exactBelow > 100_000_000) {
      throw new IllegalArgumentException(
          EXACT_BELOW + "=" + exactBelow + " is out of range: use 0 to 100000000.");
    }
    if (ramBufferMb < 1 || ramBufferMb > 2048) {
      throw new IllegalArgumentException(
          RAM_BUFFER_MB + "=" + ramBufferMb + " is out of range: use 1 to 2048.");
    }
  }

  /**
   * Reads the settings of {@code context}; missing keys take their defaults, unknown keys and bad
   * values are refused.
   */
  public static LuceneSettings from(StoreContext context) {
    for (String key : context.settings().keySet()) {
      if (!NAMES.contains(key)) {
        throw new IllegalArgumentException(
            "Store setting '"
                + key
                + "' is not a lucene setting; the lucene store knows "
                + new TreeSet<>(NAMES)
                + ".");
      }
    }
    LuceneSettings d = DEFAULTS;
    return new LuceneSettings(
        context.intSetting(MAX_CONNECTIONS, d.maxConnections, 2, 512),
        context.intSetting(BEAM_WIDTH, d.beamWidth, 1, 3200),
        Quantization.parse(context.setting(QUANTIZATION, d.quantization.id())),
        context.intSetting(OVER_QUERY, d.overQuery, 1, 100_000),
        context.intSetting(RAM_BUFFER_MB, d.ramBufferMb, 1, 2048),
        context.intSetting(EXACT_BELOW, d.exactBelow, 0, 100_000_000));
  }

  /** The build settings as text, as recorded in the commit user data. */
  Map<String, String> buildEntries() {
    Map<String, String> m = new TreeMap<>();
    m.put(MAX_CONNECTIONS, Integer.toString(maxConnections));
    m.put(BEAM_WIDTH, Integer.toString(beamWidth));
    m.put(QUANTIZATION, quantization.id());
    return m;
  }

  /**
   * These settings with the build settings recorded in a store: a build setting that {@code
   * context} passes explicitly must equal the recorded one, since the store's graphs were built
   * with it.
   */
  LuceneSettings withBuildOf(Map<String, String> recorded, StoreContext context) {
    for (String key : BUILD_NAMES) {
      if (!recorded.containsKey(key)) {
        throw new CorruptCollectionException(
            "The lucene store in "
                + context.directory()
                + " does not record its build setting '"
                + key
                + "' in its commit data: it was not written by this store, or the commit is"
                + " damaged.");
      }
    }
    LuceneSettings stored;
    try {
      stored =
          new LuceneSettings(
              Integer.parseInt(recorded.get(MAX_CONNECTIONS)),
              Integer.parseInt(recorded.get(BEAM_WIDTH)),
              Quantization.parse(recorded.get(QUANTIZATION)),
              overQuery,
              ramBufferMb,
              exactBelow);
    } catch (IllegalArgumentException e) {
      throw new CorruptCollectionException(
          "The lucene store in "
              + context.directory()
              + " records invalid build settings "
              + recorded
              + ": "
              + e.getMessage(),
          e);
    }
    Map<String, String> mine = stored.buildEntries();
    for (String key : BUILD_NAMES) {
      String asked = context.settings().get(key);
      if (asked == null) continue;
      String normalized =
          key.equals(QUANTIZATION)
              ? Quantization.parse(asked).id()
              : Integer.toString(Integer.parseInt(asked.trim()));
      if (!normalized.equals(mine.get(key))) {
        throw new IllegalArgumentException(
            "The lucene store in "
                + context.directory()
                + " was created with "
                + key
                + "="
                + mine.get(key)
                + " and can not be opened with "
                + key
                + "="
                + asked
                + ": build settings are fixed at creation. Leave the setting out, or reindex into a"
                + " new collection with the new value.");
      }
    }
    return stored;
  }
}
