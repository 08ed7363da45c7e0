package dev.tessera.bench.parity;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Raw JVector as its examples build an in-memory index: one graph over every vector from {@link
 * GraphIndexBuilder}'s recommended parameters (degree 16, construction beam 100, neighbour overflow
 * 1.2, alpha 1.2, hierarchy on, final refinement), COSINE (what the jvector store uses), {@code
 * build} on all cores. Search is {@link GraphSearcher} with exact scores; a filter is an
 * accept-ords {@link Bits} (built once per case, as an application would keep a bitmap per filter).
 * The knob is rerankK, the beam: {@code search(ssp, 10, beam, 0, 0, bits)}; beam 10 is the
 * library's default {@code search(ssp, 10, bits)}.
 */
final class RawJVector implements Engine {
  private static final VectorTypeSupport VTS =
      VectorizationProvider.getInstance().getVectorTypeSupport();
  private final List<String> efforts;
  private RandomAccessVectorValues ravv;
  private ImmutableGraphIndex graph;
  private GraphIndexBuilder builder;
  private final Map<String, Bits> bits = new java.util.concurrent.ConcurrentHashMap<>();
  private ParityData data;
  private int beam;

  /** One searcher per client thread (a searcher is not thread-safe), reused, as JVector advises. */
  private final ThreadLocal<GraphSearcher> searcher = new ThreadLocal<>();

  private final List<GraphSearcher> searchers =
      java.util.Collections.synchronizedList(new ArrayList<>());

  RawJVector(List<String> efforts) {
    this.efforts = efforts;
  }

  @Override
  public String label() {
    return "raw-jvector";
  }

  @Override
  public String knob() {
    return "beam";
  }

  @Override
  public List<String> efforts() {
    return efforts;
  }

  @Override
  @SuppressWarnings("deprecation") // the same constructor the jvector store uses
  public void build(ParityData data, Path dir) throws IOException {
    this.data = data;
    List<VectorFloat<?>> vs = new ArrayList<>(data.corpus().length);
    for (float[] v : data.corpus()) vs.add(VTS.createFloatVector(v));
    ravv = new ListRandomAccessVectorValues(vs, data.corpus()[0].length);
    BuildScoreProvider bsp =
        BuildScoreProvider.randomAccessScoreProvider(ravv, VectorSimilarityFunction.COSINE);
    builder = new GraphIndexBuilder(bsp, ravv.dimension(), 16, 100, 1.2f, 1.2f, true, true);
    graph = builder.build(ravv);
  }

  @Override
  public void useEffort(String effort) {
    beam = Integer.parseInt(effort);
  }

  @Override
  public int[] search(float[] query, int k, ParityCase c) throws IOException {
    Bits accept = c.isAll() ? Bits.ALL : bits.computeIfAbsent(c.name(), x -> bitsOf(c));
    var ssp =
        DefaultSearchScoreProvider.exact(
            VTS.createFloatVector(query), VectorSimilarityFunction.COSINE, ravv);
    GraphSearcher s = searcher.get();
    if (s == null) {
      s = new GraphSearcher(graph);
      searcher.set(s);
      searchers.add(s);
    }
    SearchResult r = s.search(ssp, k, Math.max(k, beam), 0f, 0f, accept);
    SearchResult.NodeScore[] nodes = r.getNodes();
    int[] out = new int[Math.min(k, nodes.length)];
    for (int i = 0; i < out.length; i++) out[i] = nodes[i].node;
    return out;
  }

  private Bits bitsOf(ParityCase c) {
    int[] rows = data.rows(c);
    BitSet set = new BitSet(data.corpus().length);
    for (int r : rows) set.set(r);
    return set::get;
  }

  @Override
  public void close() throws IOException {
    synchronized (searchers) {
      for (GraphSearcher s : searchers) s.close();
    }
    if (builder != null) builder.close();
  }
}
