package dev.tessera.index.jvector;

import dev.tessera.api.Modality;
import dev.tessera.api.Similarity;
import io.github.jbellis.jvector.disk.RandomAccessReader;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.quantization.MutablePQVectors;
import io.github.jbellis.jvector.quantization.ProductQuantization;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Graph upkeep: the per-modality JVector graphs and PQ codes, built and updated by ordinal. */
final class Graphs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Graphs.class);

  /** Batches smaller than this are inserted on the calling thread. */
  private static final int PARALLEL_INSERT_MIN = 64;

  /** Fewest live vectors PQ is trained on (it needs well over 256 per subspace centroid set). */
  static final int PQ_MIN_TRAINING = 1024;

  private static final ForkJoinPool INSERT_POOL =
      new ForkJoinPool(Runtime.getRuntime().availableProcessors());

  private final RecordTable records;
  private final JVectorSettings settings;
  private final Similarity similarity;
  private final VectorSimilarityFunction vsf;
  private final GraphIndexBuilder[] builders;
  private ProductQuantization pq;
  private MutablePQVectors pqCodes;

  Graphs(RecordTable records, JVectorSettings settings, Similarity similarity) {
    this.records = records;
    this.settings = settings;
    this.similarity = similarity;
    this.vsf =
        switch (similarity) {
          case COSINE -> VectorSimilarityFunction.COSINE;
          case DOT_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
          case EUCLIDEAN -> VectorSimilarityFunction.EUCLIDEAN;
        };
    this.builders =
        new GraphIndexBuilder[settings.graphPerModality() ? Modality.values().length : 1];
    for (int g = 0; g < builders.length; g++) builders[g] = newBuilder();
  }

  private GraphIndexBuilder newBuilder() {
    BuildScoreProvider bsp = BuildScoreProvider.randomAccessScoreProvider(records.values(), vsf);
    @SuppressWarnings("deprecation")
    GraphIndexBuilder b =
        new GraphIndexBuilder(
            bsp,
            records.dimension(),
            settings.maxDegree(),
            settings.beamWidth(),
            (float) settings.neighborOverflow(),
            (float) settings.alpha(),
            settings.hierarchy(),
            true);
    return b;
  }

  /** How many graphs there are: one per modality, or one for all. */
  int count() {
    return builders.length;
  }

  /** The graph that holds records of modality {@code m}. */
  int graphOf(Modality m) {
    return builders.length == 1 ? 0 : m.ordinal();
  }

  /** The file name suffix of graph {@code g}. */
  String name(int g) {
    return builders.length == 1
        ? "graph"
        : "graph-" + Modality.values()[g].name().toLowerCase(Locale.ROOT);
  }

  ImmutableGraphIndex graph(int g) {
    return builders[g].getGraph();
  }

  /** Whether graph walks score PQ codes (and so should gather more candidates). */
  boolean usesPq() {
    return pqCodes != null;
  }

  /** Bytes per vector of the PQ codes kept in memory, or 0 without PQ. */
  int pqBytesPerVector() {
    return pq == null ? 0 : pq.compressedVectorSize();
  }

  ProductQuantization pq() {
    return pq;
  }

  /** Adds the records at ordinals {@code first..last-1} to their graphs, in parallel when many. */
  void insert(int first, int last) {
    if (last - first < PARALLEL_INSERT_MIN) {
      for (int ord = first; ord < last; ord++) insert(ord);
    } else {
      INSERT_POOL
          .submit(() -> IntStream.range(first, last).parallel().forEach(this::insert))
          .join();
    }
  }

  private void insert(int ord) {
    RecordTable.Rec r = records.rec(ord);
    if (r == null) return; // replaced later in the same batch
    builders[graphOf(r.modality())].addGraphNode(ord, records.jvectorOf(ord));
    if (pqCodes != null) pqCodes.encodeAndSet(ord, records.jvectorOf(ord));
  }

  /** Marks a deleted record's node; it is removed at the next {@link #removeDeleted}. */
  void markDeleted(int ord, Modality modality) {
    builders[graphOf(modality)].markNodeDeleted(ord);
  }

  /**
   * Removes the marked nodes (JVector reconnects their neighbours) and forgets the vectors and
   * codes of {@code deleted}.
   */
  void removeDeleted(BitSet deleted) {
    for (GraphIndexBuilder b : builders) b.cleanup();
    for (int ord = deleted.nextSetBit(0); ord >= 0; ord = deleted.nextSetBit(ord + 1)) {
      records.forgetVector(ord);
      if (pqCodes != null) pqCodes.setZero(ord);
    }
  }

  /** Trains PQ once enough vectors exist, if the store was created with pq-subspaces above 0. */
  void maybeTrainPq(Path dir) {
    if (settings.pqSubspaces() == 0 || pq != null || records.size() < PQ_MIN_TRAINING) return;
    int dim = records.dimension();
    int subspaces = Math.min(settings.pqSubspaces(), dim);
    List<VectorFloat<?>> sample = new ArrayList<>();
    for (int ord = 0; ord < records.nextOrd(); ord++) {
      if (records.rec(ord) != null) sample.add(records.jvectorOf(ord));
    }
    var ravv = new ListRandomAccessVectorValues(sample, dim);
    usePq(ProductQuantization.compute(ravv, subspaces, 256, similarity == Similarity.EUCLIDEAN));
    LOG.info(
        "Trained PQ for {}: {} subspaces, {} bytes per vector instead of {}",
        dir,
        subspaces,
        pq.compressedVectorSize(),
        dim * Float.BYTES);
  }

  /** Uses {@code quantization} (trained or loaded) and encodes every live vector with it. */
  void usePq(ProductQuantization quantization) {
    pq = quantization;
    pqCodes = new MutablePQVectors(pq);
    for (int ord = 0; ord < records.nextOrd(); ord++) {
      if (records.rec(ord) != null) pqCodes.encodeAndSet(ord, records.jvectorOf(ord));
    }
  }

  /** Replaces graph {@code g} by the one in {@code file}, or an empty one when null. */
  @SuppressWarnings("deprecation") // the on-heap format OnHeapGraphIndex.save writes
  void reload(int g, RandomAccessReader file) throws IOException {
    builders[g].close();
    builders[g] = newBuilder();
    if (file != null) builders[g].load(file);
  }

  /** Loads graph {@code g} from {@code file} into the (still empty) builder. */
  @SuppressWarnings("deprecation") // the on-heap format OnHeapGraphIndex.save writes
  void load(int g, RandomAccessReader file) throws IOException {
    builders[g].load(file);
  }

  /** How a walk of graph {@code g}'s candidates is scored for the query {@code qv}. */
  SearchScoreProvider scoreProvider(VectorFloat<?> qv) {
    if (pqCodes != null) {
      return new DefaultSearchScoreProvider(
          pqCodes.precomputedScoreFunctionFor(qv, vsf), records.values().rerankerFor(qv, vsf));
    }
    return DefaultSearchScoreProvider.exact(qv, vsf, records.values());
  }

  @Override
  public void close() throws IOException {
    for (GraphIndexBuilder b : builders) b.close();
  }
}
