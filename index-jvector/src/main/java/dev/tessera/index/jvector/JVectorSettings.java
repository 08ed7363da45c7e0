package dev.tessera.index.jvector;

import dev.tessera.api.spi.StoreContext;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code jvector} store's settings with their defaults. Build settings are fixed when the store
 * is created and recorded in its manifest; search settings apply to each open.
 *
 * @param maxDegree graph degree M of the base layer ({@value #MAX_DEGREE}, default 16)
 * @param beamWidth candidates considered per insert ({@value #BEAM_WIDTH}, default 100)
 * @param alpha diversity pruning; above 1 keeps longer edges ({@value #ALPHA}, default 1.2)
 * @param neighborOverflow temporary degree overflow during inserts ({@value #NEIGHBOR_OVERFLOW},
 *     default 1.2)
 * @param hierarchy HNSW-style upper layers on top of the Vamana graph ({@value #HIERARCHY}, default
 *     true)
 * @param graphPerModality one graph per modality so CLIP's modality gap can not split one graph
 *     into two poorly linked islands ({@value #GRAPH_PER_MODALITY}, default true)
 * @param searchBeam candidates gathered per graph search before exact rescoring ({@value
 *     #SEARCH_BEAM}, default 100)
 * @param exactSearchBelow when a filter matches fewer records than this, they are scored exactly
 *     instead of searching the graph; counted per graph, so per modality by default ({@value
 *     #EXACT_SEARCH_BELOW}; default {@link #AUTO}: where the walk and the exact pass cost the same,
 *     {@code sqrt(search-beam × max-degree × graph size / 2)})
 * @param pqSubspaces product-quantization subspaces for graph traversal, 0 for none ({@value
 *     #PQ_SUBSPACES}, default 0)
 * @param landmarkEntry start each graph search at the best of up to 1024 sampled landmark nodes,
 *     scored exactly, instead of descending the hierarchy from one global entry point ({@value
 *     #LANDMARK_ENTRY}, default true: on 100k CLIP-like vectors the descent lost 5 of 400 queries
 *     entirely)
 */
public record JVectorSettings(
    int maxDegree,
    int beamWidth,
    double alpha,
    double neighborOverflow,
    boolean hierarchy,
    boolean graphPerModality,
    int searchBeam,
    int exactSearchBelow,
    int pqSubspaces,
    boolean landmarkEntry) {
  /** Setting key: graph degree. */
  public static final String MAX_DEGREE = "max-degree";

  /** Setting key: construction beam width. */
  public static final String BEAM_WIDTH = "beam-width";

  /** Setting key: diversity alpha. */
  public static final String ALPHA = "alpha";

  /** Setting key: neighbor overflow during construction. */
  public static final String NEIGHBOR_OVERFLOW = "neighbor-overflow";

  /** Setting key: hierarchical upper layers. */
  public static final String HIERARCHY = "hierarchy";

  /** Setting key: one graph per modality. */
  public static final String GRAPH_PER_MODALITY = "graph-per-modality";

  /** Setting key: search beam. */
  public static final String SEARCH_BEAM = "search-beam";

  /** Setting key: exact-search threshold for filters. */
  public static final String EXACT_SEARCH_BELOW = "exact-search-below";

  /** Setting key: PQ subspaces (0 = off). */
  public static final String PQ_SUBSPACES = "pq-subspaces";

  /** Setting key: landmark entry points. */
  public static final String LANDMARK_ENTRY = "landmark-entry";

  /** Every key this store accepts. */
  public static final Set<String> NAMES =
      Set.of(
          MAX_DEGREE,
          BEAM_WIDTH,
          ALPHA,
          NEIGHBOR_OVERFLOW,
          HIERARCHY,
          GRAPH_PER_MODALITY,
          SEARCH_BEAM,
          EXACT_SEARCH_BELOW,
          PQ_SUBSPACES,
          LANDMARK_ENTRY);

  /**
   * {@code exact-search-below} when it is not set: the threshold follows the beam and the graph.
   */
  public static final int AUTO = -1;

  /** The defaults. */
  public static final JVectorSettings DEFAULTS =
      // exact-search-below AUTO (BENCHMARKS.md section 6, clip 100k x 512, one thread): the fixed
      // 10000 scored a 10% filter (5,000 matches per modality graph) exactly at 202 QPS where the
      // walk at search-beam 20 ran 432; the crossover moves with the beam (about 2,500 matches at
      // beam 20, between 5,000 and 25,000 at beam 100), which SearchPlanner.exactBelow models.
      new JVectorSettings(16, 100, 1.2, 1.2, true, true, 100, AUTO, 0, true);

  /**
   * Reads the settings of {@code context}; missing keys take their defaults, bad values are
   * refused.
   */
  public static JVectorSettings from(StoreContext context) {
    for (String key : context.settings().keySet()) {
      if (!NAMES.contains(key)) {
        throw new IllegalArgumentException(
            "Store setting '"
                + key
                + "' is not a jvector setting; the jvector store knows "
                + new java.util.TreeSet<>(NAMES)
                + ".");
      }
    }
    JVectorSettings d = DEFAULTS;
    return new JVectorSettings(
        context.intSetting(MAX_DEGREE, d.maxDegree, 2, 512),
        context.intSetting(BEAM_WIDTH, d.beamWidth, 1, 10_000),
        context.doubleSetting(ALPHA, d.alpha, 0.5, 4.0),
        context.doubleSetting(NEIGHBOR_OVERFLOW, d.neighborOverflow, 1.0, 4.0),
        context.booleanSetting(HIERARCHY, d.hierarchy),
        context.booleanSetting(GRAPH_PER_MODALITY, d.graphPerModality),
        context.intSetting(SEARCH_BEAM, d.searchBeam, 1, 100_000),
        context.intSetting(EXACT_SEARCH_BELOW, d.exactSearchBelow, 0, Integer.MAX_VALUE),
        context.intSetting(PQ_SUBSPACES, d.pqSubspaces, 0, 65_536),
        context.booleanSetting(LANDMARK_ENTRY, d.landmarkEntry));
  }

  /** These settings with the build parameters of {@code stored} (read from a manifest). */
  JVectorSettings withBuildOf(JVectorSettings stored) {
    return new JVectorSettings(
        stored.maxDegree,
        stored.beamWidth,
        stored.alpha,
        stored.neighborOverflow,
        stored.hierarchy,
        stored.graphPerModality,
        searchBeam,
        exactSearchBelow,
        stored.pqSubspaces,
        landmarkEntry);
  }

  /** The build parameters as manifest entries. */
  Map<String, String> buildEntries() {
    Map<String, String> m = new TreeMap<>();
    m.put(MAX_DEGREE, Integer.toString(maxDegree));
    m.put(BEAM_WIDTH, Integer.toString(beamWidth));
    m.put(ALPHA, Double.toString(alpha));
    m.put(NEIGHBOR_OVERFLOW, Double.toString(neighborOverflow));
    m.put(HIERARCHY, Boolean.toString(hierarchy));
    m.put(GRAPH_PER_MODALITY, Boolean.toString(graphPerModality));
    m.put(PQ_SUBSPACES, Integer.toString(pqSubspaces));
    return m;
  }
}
