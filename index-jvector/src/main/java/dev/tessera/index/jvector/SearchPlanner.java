package dev.tessera.index.jvector;

import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Modality;
import dev.tessera.api.Similarity;
import dev.tessera.api.search.ExactFallback;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.search.TopK;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Plans and runs one search per graph: a filtered graph walk, or exact scoring of the matches. */
final class SearchPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(SearchPlanner.class);
  private static final VectorTypeSupport VTS =
      VectorizationProvider.getInstance().getVectorTypeSupport();

  private final RecordTable records;
  private final Graphs graphs;
  private final Landmarks landmarks;
  private final JVectorSettings settings;
  private final Similarity similarity;

  /** Graph searches answered by scoring the matches exactly instead of (or after) a walk. */
  private final LongAdder exactPasses = new LongAdder();

  SearchPlanner(
      RecordTable records,
      Graphs graphs,
      Landmarks landmarks,
      JVectorSettings settings,
      Similarity similarity) {
    this.records = records;
    this.graphs = graphs;
    this.landmarks = landmarks;
    this.settings = settings;
    this.similarity = similarity;
  }

  /** How many per-graph searches so far scored their matches exactly (for tests and harness). */
  long exactPasses() {
    return exactPasses.sum();
  }

  /** The best {@code k} (≥ 1, at most the live records) hits for {@code query} under the filter. */
  List<Hit> search(float[] query, int k, Filter filter) throws IOException {
    Search s = new Search(query, k, filter);
    for (int g = 0; g < graphs.count(); g++) searchGraph(g, s);
    List<Hit> hits = new ArrayList<>(s.top.size());
    for (TopK.Scored<Integer> sc : s.top.results()) {
      RecordTable.Rec r = records.rec(sc.item());
      hits.add(new Hit(r.id(), sc.score(), r.modality(), r.metadata(), r.source()));
    }
    return hits;
  }

  /** One search's state: the query, its scorer, and the best hits so far. */
  private final class Search {
    final float[] vector;
    final QueryScorer scorer;
    final int k;
    final Filter filter;
    final TopK<Integer> top;
    final BitSet seen = new BitSet();

    Search(float[] vector, int k, Filter filter) {
      this.vector = vector;
      this.scorer = QueryScorer.of(similarity, vector);
      this.k = k;
      this.filter = filter;
      this.top = new TopK<>(k, ord -> records.rec(ord).id());
    }

    /** Scores {@code ord} and offers it, once per search; its score, or NaN when seen before. */
    float offer(int ord) {
      if (seen.get(ord)) return Float.NaN;
      seen.set(ord);
      float score = scorer.score(records.vector(ord), records.norm(ord));
      top.offer(ord, score, records.rec(ord).id());
      return score;
    }

    /** The ordinals of the current graph that match a metadata condition; null without one. */
    BitSet matches;

    /**
     * The live ordinals of every modality searched that match the condition: evaluated once per
     * search, not per graph (a range's slice of ordinals is most of a filter's cost).
     */
    BitSet allMatches;

    boolean accepts(int ord) {
      if (matches != null) return matches.get(ord);
      RecordTable.Rec r = records.rec(ord);
      return r != null && filter.modalities().contains(r.modality());
    }
  }

  private void searchGraph(int g, Search q) throws IOException {
    // Which modalities this graph holds and whether the filter wants any of them.
    int live = 0;
    for (Modality m : Modality.values()) {
      if (graphs.graphOf(m) == g && q.filter.modalities().contains(m)) live += records.liveCount(m);
    }
    if (live == 0) return;
    q.matches = null;
    int matching = live;
    if (q.filter.hasCondition()) {
      // The metadata index gives the matching ordinals at a cost that grows with the matches, so a
      // selective filter is searched exactly and a broad one walks the graph with them as accept
      // bits.
      if (q.allMatches == null) {
        q.allMatches =
            records.index().matching(q.filter.condition().orElseThrow(), universe(-1, q));
      }
      q.matches = (BitSet) q.allMatches.clone();
      q.matches.and(universe(g, q));
      matching = q.matches.cardinality();
      if (matching == 0) return;
    }
    // With PQ the walk ranks by approximate scores, so it gathers three times the candidates for
    // the exact rescoring.
    // The walk asks for at least k + 1 candidates: with exactly k, the k-th hit is always the
    // worst candidate of a full list, which reads as a run of ties reaching past the beam and sent
    // every search with search-beam <= k to the exact pass (34 QPS, issue 14).
    int beam = Math.max(Math.max(q.k, settings.searchBeam()) * (graphs.usesPq() ? 3 : 1), q.k + 1);
    // A graph walk with a beam this wide would visit about as many nodes as there are matches:
    // score them exactly.
    if (matching < exactBelow(beam, live) || matching <= beam) {
      exactPasses.increment();
      offerAll(g, q);
      return;
    }
    Bits accept = q.matches == null ? q::accepts : q.matches::get;
    SearchScoreProvider ssp = graphs.scoreProvider(VTS.createFloatVector(q.vector));
    int[] found = {0};
    int[] returned = {0};
    float[] worst = {Float.POSITIVE_INFINITY};
    try (GraphSearcher searcher = new GraphSearcher(graphs.graph(g))) {
      int entry = settings.landmarkEntry() ? landmarks.best(g, q.scorer) : -1;
      if (entry >= 0) {
        // Enter the base layer at the landmark nearest the query instead of descending from one
        // global entry point: a descent that starts in the wrong island can end there.
        searcher.initializeInternal(ssp, new ImmutableGraphIndex.NodeAtLevel(0, entry), accept);
        searcher.searchOneLayer(ssp, beam, 0f, 0, accept);
        searcher
            .approximateResults()
            .foreach((node, score) -> take(q, node, found, returned, worst));
      } else {
        SearchResult result = searcher.search(ssp, beam, beam, 0f, 0f, accept);
        for (SearchResult.NodeScore ns : result.getNodes())
          take(q, ns.node, found, returned, worst);
      }
    }
    boolean tied =
        q.top.isFull()
            && ExactFallback.tiesMayExtendBeyond(returned[0] >= beam, worst[0], q.top.worstScore());
    // A walk that already scored half the matches (a small graph, or a beam near the match count)
    // costs as much as scoring them all again: scoring the rest exactly makes the answer exact for
    // at most twice the work, where the walk alone can miss a top hit (seen on graphs of a few
    // hundred nodes with many deletes pending, issue 15's kit tests).
    boolean mostlyScored = 2L * found[0] >= matching;
    if (ExactFallback.fellShort(found[0], q.k, matching) || tied || mostlyScored) {
      // The graph could not reach k matching records, stopped inside a run of equal scores, or
      // scored most matches anyway: score all matching records exactly rather than return fewer,
      // the wrong ones of a tie, or miss one of the few left.
      LOG.debug(
          "Graph search found {} of {} wanted{}; falling back to exact search over {} records",
          found[0],
          q.k,
          tied ? " ending in a tie" : mostlyScored ? " (most of the matches)" : "",
          matching);
      exactPasses.increment();
      offerAll(g, q);
    }
  }

  /**
   * The match count below which graph {@code live} records large scores a filter's matches exactly:
   * the setting when given, else where the two cost the same. A filtered walk scores about {@code
   * beam × max-degree / 2} nodes per share of the graph the filter accepts ({@code matching /
   * live}), an exact pass {@code matching}; they meet at {@code matching² = beam × degree × live /
   * 2}. Measured (BENCHMARKS.md section 6, 50k per graph, degree 16): at beam 20 the walk beat the
   * exact pass at 5,000 matches (432 vs 202 QPS) and tied at 2,500 (360 vs 326), where this gives
   * 2,828; at beam 100 exact won at 5,000 (202 vs 98) and lost at 25,000 (35 vs 242), this gives
   * 6,325.
   */
  int exactBelow(int beam, int live) {
    if (settings.exactSearchBelow() >= 0) return settings.exactSearchBelow();
    return (int)
        Math.min(Integer.MAX_VALUE, Math.sqrt(beam * (double) settings.maxDegree() * live / 2));
  }

  private static void take(Search q, int node, int[] found, int[] returned, float[] worst) {
    returned[0]++;
    if (!q.accepts(node)) return;
    float score = q.offer(node);
    if (!Float.isNaN(score)) worst[0] = Math.min(worst[0], score);
    found[0]++;
  }

  /** Offers every accepted record of graph {@code g}: the condition's matches, or all live ones. */
  private void offerAll(int g, Search q) {
    BitSet ords = q.matches != null ? q.matches : universe(g, q);
    for (int ord = ords.nextSetBit(0); ord >= 0; ord = ords.nextSetBit(ord + 1)) q.offer(ord);
  }

  /**
   * The live ordinals of graph {@code g} (of every graph when {@code g} is -1) whose modality the
   * filter allows (do not change it).
   */
  private BitSet universe(int g, Search q) {
    BitSet out = null;
    boolean shared = false;
    for (Modality m : q.filter.modalities()) {
      if (g >= 0 && graphs.graphOf(m) != g) continue;
      BitSet live = records.index().live(m);
      if (out == null) {
        out = live;
      } else {
        if (!shared) out = (BitSet) out.clone();
        shared = true;
        out.or(live);
      }
    }
    return out == null ? new BitSet() : out;
  }
}
