package dev.tessera.index.jvector;

import dev.tessera.api.ClosedException;
import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.Source;
import dev.tessera.api.TesseraException;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.AtomicFiles;
import dev.tessera.api.spi.MetadataCodec;
import dev.tessera.api.spi.StoreSamples;
import dev.tessera.api.spi.VectorStore;
import io.github.jbellis.jvector.disk.RandomAccessReader;
import io.github.jbellis.jvector.disk.ReaderSupplier;
import io.github.jbellis.jvector.disk.ReaderSupplierFactory;
import io.github.jbellis.jvector.disk.SimpleWriter;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.quantization.MutablePQVectors;
import io.github.jbellis.jvector.quantization.ProductQuantization;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link VectorStore} on JVector graphs. Records get dense ordinals; vectors live in a table
 * indexed by ordinal and each modality has its own graph (see {@link
 * JVectorSettings#graphPerModality}). A replace is a delete of the old ordinal plus an insert under
 * a new one; deleted ordinals are never returned (the accept-ords {@link Bits} exclude them) and
 * are removed from the graphs at the next commit. Each commit writes a new generation of files and
 * switches the manifest atomically.
 */
final class JVectorStore implements VectorStore {
  private static final Logger LOG = LoggerFactory.getLogger(JVectorStore.class);
  private static final VectorTypeSupport VTS =
      VectorizationProvider.getInstance().getVectorTypeSupport();

  /** Records files before metadata was typed: string values only. */
  private static final byte[] RECORDS_MAGIC_V1 = "TSRJVR01".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] RECORDS_MAGIC = "TSRJVR02".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VECTORS_MAGIC = "TSRJVV01".getBytes(StandardCharsets.US_ASCII);

  /** Batches smaller than this are inserted on the calling thread. */
  private static final int PARALLEL_INSERT_MIN = 64;

  /** Fewest live vectors PQ is trained on (it needs well over 256 per subspace centroid set). */
  static final int PQ_MIN_TRAINING = 1024;

  private static final ForkJoinPool INSERT_POOL =
      new ForkJoinPool(Runtime.getRuntime().availableProcessors());

  /** What we keep about a record besides its vector. */
  private record Rec(String id, Modality modality, Metadata metadata, Source source) {}

  private final Path dir;
  private final ModelFingerprint fingerprint;
  private final JVectorSettings settings;
  private final boolean readOnly;
  private final int dim;
  private final Similarity similarity;
  private final VectorSimilarityFunction vsf;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  // Guarded by lock.
  private float[][] vectors = new float[1024][];
  private float[] norms = new float[1024];
  private Rec[] recs = new Rec[1024];
  private int nextOrd;
  private final Map<String, Integer> ordOf = new HashMap<>();

  /** Ordinals deleted since the last commit, still present in a graph until cleanup. */
  private final BitSet pendingDeletes = new BitSet();

  private final int[] liveCount = new int[Modality.values().length];
  private final GraphIndexBuilder[] builders;
  private final VectorTable table = new VectorTable();

  /** Per graph: a sample of its nodes that searches score exactly to choose where to enter. */
  private final int[][] landmarks;

  private final int[] liveAtLandmarks;
  private ProductQuantization pq;
  private MutablePQVectors pqCodes;
  private long generation;
  private volatile boolean closed;

  private JVectorStore(
      Path dir, ModelFingerprint fingerprint, JVectorSettings settings, boolean readOnly) {
    this.dir = dir;
    this.fingerprint = fingerprint;
    this.settings = settings;
    this.readOnly = readOnly;
    this.dim = fingerprint.dimension();
    this.similarity = fingerprint.similarity();
    this.vsf =
        switch (similarity) {
          case COSINE -> VectorSimilarityFunction.COSINE;
          case DOT_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
          case EUCLIDEAN -> VectorSimilarityFunction.EUCLIDEAN;
        };
    this.builders =
        new GraphIndexBuilder[settings.graphPerModality() ? Modality.values().length : 1];
    for (int g = 0; g < builders.length; g++) builders[g] = newBuilder();
    this.landmarks = new int[builders.length][0];
    this.liveAtLandmarks = new int[builders.length];
  }

  static JVectorStore create(Path dir, ModelFingerprint fingerprint, JVectorSettings settings)
      throws IOException {
    JVectorStore s = new JVectorStore(dir, fingerprint, settings, false);
    s.generation = -1;
    s.commit();
    LOG.debug("Created jvector store in {} for {}", dir, fingerprint);
    return s;
  }

  static JVectorStore open(Path dir, JVectorSettings requested, boolean readOnly)
      throws IOException {
    Manifest m = Manifest.read(dir);
    m.verify(dir);
    Map<String, String> e = m.entries();
    ModelFingerprint fp;
    JVectorSettings stored;
    try {
      fp = ModelFingerprint.parse(e.get("fingerprint"));
      stored =
          new JVectorSettings(
              Integer.parseInt(e.get(JVectorSettings.MAX_DEGREE)),
              Integer.parseInt(e.get(JVectorSettings.BEAM_WIDTH)),
              Double.parseDouble(e.get(JVectorSettings.ALPHA)),
              Double.parseDouble(e.get(JVectorSettings.NEIGHBOR_OVERFLOW)),
              Boolean.parseBoolean(e.get(JVectorSettings.HIERARCHY)),
              Boolean.parseBoolean(e.get(JVectorSettings.GRAPH_PER_MODALITY)),
              0,
              0,
              Integer.parseInt(e.get(JVectorSettings.PQ_SUBSPACES)),
              true);
    } catch (RuntimeException ex) {
      throw new CorruptCollectionException(
          dir.resolve(Manifest.FILE)
              + " lacks or garbles its fingerprint or build settings: "
              + ex.getMessage(),
          ex);
    }
    JVectorSettings settings = requested.withBuildOf(stored);
    if (!stored.buildEntries().equals(requested.buildEntries())
        && !requested.equals(JVectorSettings.DEFAULTS)) {
      LOG.info(
          "jvector store {} keeps the build settings it was created with {}; the requested ones"
              + " apply only to new stores",
          dir,
          stored.buildEntries());
    }
    JVectorStore s = new JVectorStore(dir, fp, settings, readOnly);
    s.generation = m.generation();
    s.load(m);
    if (!readOnly) s.removeStrayFiles(m);
    return s;
  }

  private GraphIndexBuilder newBuilder() {
    BuildScoreProvider bsp = BuildScoreProvider.randomAccessScoreProvider(table, vsf);
    @SuppressWarnings("deprecation")
    GraphIndexBuilder b =
        new GraphIndexBuilder(
            bsp,
            dim,
            settings.maxDegree(),
            settings.beamWidth(),
            (float) settings.neighborOverflow(),
            (float) settings.alpha(),
            settings.hierarchy(),
            true);
    return b;
  }

  /** Most landmarks kept per graph: scoring them costs about as much as a few dozen graph hops. */
  static final int MAX_LANDMARKS = 1024;

  /**
   * Re-samples each graph's landmarks: every stride-th live node, at most {@link #MAX_LANDMARKS}.
   * Only graphs whose size moved by more than 5 % are resampled, unless {@code all}.
   */
  private void refreshLandmarks(boolean all) {
    int[] live = new int[builders.length];
    for (Modality m : Modality.values()) live[graphOf(m)] += liveCount[m.ordinal()];
    for (int g = 0; g < builders.length; g++) {
      if (!all
          && Math.abs(live[g] - liveAtLandmarks[g]) <= liveAtLandmarks[g] / 20
          && landmarks[g].length > 0) continue;
      int stride = Math.max(1, (live[g] + MAX_LANDMARKS - 1) / MAX_LANDMARKS);
      int[] out = new int[Math.min(live[g], MAX_LANDMARKS + 1)];
      int n = 0;
      int seen = 0;
      for (int ord = 0; ord < nextOrd && n < out.length; ord++) {
        Rec r = recs[ord];
        if (r == null || graphOf(r.modality()) != g) continue;
        if (seen++ % stride == 0) out[n++] = ord;
      }
      landmarks[g] = Arrays.copyOf(out, n);
      liveAtLandmarks[g] = live[g];
    }
  }

  private int graphOf(Modality m) {
    return builders.length == 1 ? 0 : m.ordinal();
  }

  // ---------------------------------------------------------------- reads and writes

  @Override
  public ModelFingerprint fingerprint() {
    ensureOpen();
    return fingerprint;
  }

  @Override
  public void upsert(List<Item> items) throws IOException {
    lock.writeLock().lock();
    try {
      ensureWritable();
      if (items.isEmpty()) return;
      int first = nextOrd;
      ensureCapacity(nextOrd + items.size());
      for (Item item : items) {
        Integer old = ordOf.get(item.id());
        if (old != null && old >= first) {
          // The id repeats within this batch: the earlier copy never reaches the graph; the last
          // wins.
          Rec r = recs[old];
          recs[old] = null;
          vectors[old] = null;
          liveCount[r.modality().ordinal()]--;
        } else if (old != null) {
          markDeleted(old);
        }
        int ord = nextOrd++;
        float[] v = item.embedding().vector();
        vectors[ord] = v;
        norms[ord] = QueryScorer.norm(v);
        recs[ord] = new Rec(item.id(), item.modality(), item.metadata(), item.source());
        ordOf.put(item.id(), ord);
        liveCount[item.modality().ordinal()]++;
      }
      int last = nextOrd;
      if (last - first < PARALLEL_INSERT_MIN) {
        for (int ord = first; ord < last; ord++) insert(ord);
      } else {
        INSERT_POOL
            .submit(() -> IntStream.range(first, last).parallel().forEach(this::insert))
            .join();
      }
      refreshLandmarks(false);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void insert(int ord) {
    if (recs[ord] == null) return; // replaced later in the same batch
    builders[graphOf(recs[ord].modality())].addGraphNode(ord, table.getVector(ord));
    if (pqCodes != null) pqCodes.encodeAndSet(ord, table.getVector(ord));
  }

  private void markDeleted(int ord) {
    Rec r = recs[ord];
    recs[ord] = null;
    ordOf.remove(r.id());
    liveCount[r.modality().ordinal()]--;
    pendingDeletes.set(ord);
    builders[graphOf(r.modality())].markNodeDeleted(ord);
  }

  @Override
  public void delete(List<String> ids) throws IOException {
    lock.writeLock().lock();
    try {
      ensureWritable();
      for (String id : ids) {
        Integer ord = ordOf.get(id);
        if (ord != null) markDeleted(ord);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public Optional<Item> get(String id) throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      Integer ord = ordOf.get(id);
      return ord == null ? Optional.empty() : Optional.of(item(ord));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long count() throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      return ordOf.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void forEach(Consumer<? super Item> action) throws IOException {
    List<Item> snapshot = new ArrayList<>();
    lock.readLock().lock();
    try {
      ensureOpen();
      for (int ord = 0; ord < nextOrd; ord++) {
        if (recs[ord] != null) snapshot.add(item(ord));
      }
    } finally {
      lock.readLock().unlock();
    }
    snapshot.forEach(action);
  }

  @Override
  public void forEachRecord(RecordVisitor visitor) throws IOException {
    List<Rec> snapshot = new ArrayList<>();
    lock.readLock().lock();
    try {
      ensureOpen();
      for (int ord = 0; ord < nextOrd; ord++) {
        if (recs[ord] != null) snapshot.add(recs[ord]);
      }
    } finally {
      lock.readLock().unlock();
    }
    for (Rec r : snapshot) visitor.visit(r.id(), r.modality(), r.metadata(), r.source());
  }

  @Override
  public List<float[]> sample(Modality modality, int n) throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      int[] ords = new int[liveCount[modality.ordinal()]];
      int c = 0;
      for (int ord = 0; ord < nextOrd && c < ords.length; ord++) {
        if (recs[ord] != null && recs[ord].modality() == modality) ords[c++] = ord;
      }
      List<float[]> out = new ArrayList<>();
      for (long p : StoreSamples.evenlySpaced(c, n)) out.add(vectors[ords[(int) p]].clone());
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  private Item item(int ord) {
    Rec r = recs[ord];
    return new Item(
        r.id(), new Embedding(vectors[ord], fingerprint, r.modality()), r.metadata(), r.source());
  }

  // ---------------------------------------------------------------- search

  @Override
  public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      if (query.length != dim) {
        throw new IllegalArgumentException(
            "Query has "
                + query.length
                + " dimensions; this store holds "
                + dim
                + "-d vectors of "
                + fingerprint
                + ".");
      }
      if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k + ".");
      // No more hits than records: also keeps a huge k from sizing the graph beam and the heap.
      int wanted = Math.min(k, ordOf.size());
      if (wanted <= 0) return List.of();
      Query q = new Query(query, wanted, filter);
      for (int g = 0; g < builders.length; g++) searchGraph(g, q);
      return q.hits();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** One search's state: the query, its norm, and the best hits so far (worst on top). */
  private final class Query {
    final float[] vector;
    final QueryScorer scorer;
    final int k;
    final Filter filter;
    final PriorityQueue<Hit> heap;
    final BitSet seen = new BitSet();

    Query(float[] vector, int k, Filter filter) {
      this.vector = vector;
      this.scorer = QueryScorer.of(similarity, vector);
      this.k = k;
      this.filter = filter;
      this.heap = new PriorityQueue<>(k + 1, Hit.ORDER.reversed());
    }

    void offer(int ord) {
      if (seen.get(ord)) return;
      seen.set(ord);
      float score = score(scorer, ord);
      Rec r = recs[ord];
      if (heap.size() == k) {
        Hit worst = heap.peek();
        if (score < worst.score() || (score == worst.score() && r.id().compareTo(worst.id()) > 0))
          return;
      }
      heap.add(new Hit(r.id(), score, r.modality(), r.metadata(), r.source()));
      if (heap.size() > k) heap.poll();
    }

    List<Hit> hits() {
      List<Hit> hits = new ArrayList<>(heap);
      hits.sort(Hit.ORDER);
      return hits;
    }
  }

  private boolean accepts(Query q, int ord) {
    Rec r = recs[ord];
    return r != null && q.filter.matches(r.modality(), r.metadata());
  }

  private void searchGraph(int g, Query q) throws IOException {
    // Which modalities this graph holds and whether the filter wants any of them.
    int live = 0;
    for (Modality m : Modality.values()) {
      if (graphOf(m) == g && q.filter.modalities().contains(m)) live += liveCount[m.ordinal()];
    }
    if (live == 0) return;
    int[] matches = null;
    int matching = live;
    if (q.filter.hasCondition()) {
      // A metadata filter: find the matching ordinals first, so a selective one is searched
      // exactly.
      matches = matchingOrds(g, q);
      matching = matches.length;
      if (matching == 0) return;
    }
    // With PQ the walk ranks by approximate scores, so it gathers three times the candidates for
    // the exact rescoring.
    int beam = Math.max(q.k, settings.searchBeam()) * (pqCodes != null ? 3 : 1);
    // A graph walk with a beam this wide would visit about as many nodes as there are matches:
    // score them exactly.
    if (matching < settings.exactSearchBelow() || matching <= beam) {
      if (matches == null) matches = matchingOrds(g, q);
      for (int ord : matches) q.offer(ord);
      return;
    }
    Bits accept = matches == null ? ord -> accepts(q, ord) : bitsOf(matches);
    GraphIndexBuilder b = builders[g];
    VectorFloat<?> qv = VTS.createFloatVector(q.vector);
    SearchScoreProvider ssp;
    if (pqCodes != null) {
      ssp =
          new DefaultSearchScoreProvider(
              pqCodes.precomputedScoreFunctionFor(qv, vsf), table.rerankerFor(qv, vsf));
    } else {
      ssp = DefaultSearchScoreProvider.exact(qv, vsf, table);
    }
    int[] found = {0};
    try (GraphSearcher searcher = new GraphSearcher(b.getGraph())) {
      int entry = settings.landmarkEntry() ? bestLandmark(g, q) : -1;
      if (entry >= 0) {
        // Enter the base layer at the landmark nearest the query instead of descending from one
        // global entry point: a descent that starts in the wrong island can end there.
        searcher.initializeInternal(ssp, new ImmutableGraphIndex.NodeAtLevel(0, entry), accept);
        searcher.searchOneLayer(ssp, beam, 0f, 0, accept);
        searcher
            .approximateResults()
            .foreach(
                (node, score) -> {
                  if (accepts(q, node)) {
                    q.offer(node);
                    found[0]++;
                  }
                });
      } else {
        SearchResult result = searcher.search(ssp, beam, beam, 0f, 0f, accept);
        for (SearchResult.NodeScore ns : result.getNodes()) {
          if (accepts(q, ns.node)) {
            q.offer(ns.node);
            found[0]++;
          }
        }
      }
    }
    if (found[0] < Math.min(q.k, matching)) {
      // The graph could not reach k matching records: score all of them exactly rather than return
      // fewer.
      if (matches == null) matches = matchingOrds(g, q);
      LOG.debug(
          "Graph search found {} of {} wanted; falling back to exact search over {} records",
          found[0],
          q.k,
          matches.length);
      for (int ord : matches) q.offer(ord);
    }
  }

  /** The live landmark of graph {@code g} scoring best against the query, or -1. */
  private int bestLandmark(int g, Query q) {
    int best = -1;
    float bestScore = Float.NEGATIVE_INFINITY;
    for (int ord : landmarks[g]) {
      if (recs[ord] == null) continue;
      float s = score(q.scorer, ord);
      if (s > bestScore) {
        bestScore = s;
        best = ord;
      }
    }
    return best;
  }

  private int[] matchingOrds(int g, Query q) {
    int[] out = new int[16];
    int n = 0;
    for (int ord = 0; ord < nextOrd; ord++) {
      Rec r = recs[ord];
      if (r != null && graphOf(r.modality()) == g && q.filter.matches(r.modality(), r.metadata())) {
        if (n == out.length) out = Arrays.copyOf(out, n * 2);
        out[n++] = ord;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static Bits bitsOf(int[] ords) {
    BitSet set = new BitSet();
    for (int o : ords) set.set(o);
    return set::get;
  }

  /** The score on Tessera's scale, as the api's scorer defines it. */
  private float score(QueryScorer scorer, int ord) {
    return scorer.score(vectors[ord], norms[ord]);
  }

  // ---------------------------------------------------------------- commit and files

  @Override
  @SuppressWarnings(
      "deprecation") // OnHeapGraphIndex.save: the on-heap format this store reloads with load()
  public void commit() throws IOException {
    lock.writeLock().lock();
    try {
      ensureWritable();
      long gen = generation + 1;
      // Finish deletes: JVector reconnects the neighbours of removed nodes, then we forget their
      // vectors.
      for (GraphIndexBuilder b : builders) b.cleanup();
      for (int ord = pendingDeletes.nextSetBit(0);
          ord >= 0;
          ord = pendingDeletes.nextSetBit(ord + 1)) {
        vectors[ord] = null;
        if (pqCodes != null) pqCodes.setZero(ord);
      }
      pendingDeletes.clear();
      refreshLandmarks(true);
      maybeTrainPq();

      Map<String, Manifest.FileSum> files = new TreeMap<>();
      String prefix = "g" + gen + ".";
      files.put(prefix + "records", writeFile(prefix + "records", this::writeRecords));
      files.put(prefix + "vectors", writeFile(prefix + "vectors", this::writeVectors));
      for (int g = 0; g < builders.length; g++) {
        OnHeapGraphIndex graph = (OnHeapGraphIndex) builders[g].getGraph();
        if (graph.size(0) == 0) continue;
        files.put(prefix + graphName(g), writeFile(prefix + graphName(g), graph::save));
      }
      if (pq != null) {
        Path p = dir.resolve(prefix + "pq");
        try (SimpleWriter w = new SimpleWriter(p)) {
          pq.write(w, io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex.CURRENT_VERSION);
        }
        syncFile(p);
        files.put(prefix + "pq", new Manifest.FileSum(Files.size(p), Manifest.crcOf(p)));
      }
      AtomicFiles.syncDirectory(dir);
      Map<String, String> entries = new TreeMap<>(settings.buildEntries());
      entries.put("fingerprint", fingerprint.canonical());
      entries.put("next-ordinal", Integer.toString(nextOrd));
      new Manifest(gen, entries, files).write(dir);
      generation = gen;
      deleteOtherGenerations(files.keySet());
      reloadGraphs(prefix, files);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Continues from the graphs just written. JVector's cleanup (needed before a save) freezes a
   * graph's views for good, and concurrent inserts into a frozen graph can link a node to itself; a
   * graph loaded from the file is mutable again and is, by construction, exactly what a reopen
   * would see.
   */
  private void reloadGraphs(String prefix, Map<String, Manifest.FileSum> files) throws IOException {
    for (int g = 0; g < builders.length; g++) {
      String name = prefix + graphName(g);
      builders[g].close();
      builders[g] = newBuilder();
      if (!files.containsKey(name)) continue;
      try (ReaderSupplier rs = ReaderSupplierFactory.open(dir.resolve(name));
          RandomAccessReader r = rs.get()) {
        loadGraph(builders[g], r);
      }
    }
  }

  private String graphName(int g) {
    return builders.length == 1
        ? "graph"
        : "graph-" + Modality.values()[g].name().toLowerCase(java.util.Locale.ROOT);
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private Manifest.FileSum writeFile(String name, Body body) throws IOException {
    Path p = dir.resolve(name);
    CRC32 crc = new CRC32();
    long size;
    try (FileOutputStream fos = new FileOutputStream(p.toFile())) {
      CountingStream counting = new CountingStream(new CheckedOutputStream(fos, crc));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(counting, 1 << 16));
      body.write(out);
      out.flush();
      size = counting.count;
      fos.getChannel().force(true);
    }
    return new Manifest.FileSum(size, crc.getValue());
  }

  private static void syncFile(Path p) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static final class CountingStream extends java.io.FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  private void writeRecords(DataOutputStream out) throws IOException {
    out.write(RECORDS_MAGIC);
    out.writeInt(ordOf.size());
    for (int ord = 0; ord < nextOrd; ord++) {
      Rec r = recs[ord];
      if (r == null) continue;
      out.writeInt(ord);
      out.writeByte(r.modality().ordinal());
      writeString(out, r.id());
      MetadataCodec.write(out, r.metadata());
      writeString(out, r.source().encode());
    }
  }

  private void writeVectors(DataOutputStream out) throws IOException {
    out.write(VECTORS_MAGIC);
    out.writeInt(dim);
    out.writeInt(ordOf.size());
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(dim * Float.BYTES);
    for (int ord = 0; ord < nextOrd; ord++) {
      if (recs[ord] == null) continue;
      out.writeInt(ord);
      buf.clear();
      buf.asFloatBuffer().put(vectors[ord]);
      out.write(buf.array());
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in, Path file) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (1 << 24))
      throw new CorruptCollectionException(
          file + " holds a string of " + n + " bytes: it is damaged.");
    byte[] b = in.readNBytes(n);
    if (b.length != n) throw new EOFException();
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Metadata in a version-1 records file: string entries, before metadata was typed. */
  private static Metadata readStringMetadata(DataInputStream in, Path file) throws IOException {
    int mc = in.readInt();
    Map<String, Object> meta = new TreeMap<>();
    for (int j = 0; j < mc; j++) meta.put(readString(in, file), readString(in, file));
    return Metadata.of(meta);
  }

  private void load(Manifest m) throws IOException {
    String prefix = "g" + m.generation() + ".";
    int next;
    try {
      next = Integer.parseInt(m.entries().get("next-ordinal"));
    } catch (RuntimeException e) {
      throw new CorruptCollectionException(dir.resolve(Manifest.FILE) + " lacks next-ordinal.", e);
    }
    ensureCapacity(next);
    nextOrd = next;
    Path recFile = dir.resolve(prefix + "records");
    Path vecFile = dir.resolve(prefix + "vectors");
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(recFile), 1 << 16))) {
      byte[] magic = in.readNBytes(RECORDS_MAGIC.length);
      boolean v1 = Arrays.equals(magic, RECORDS_MAGIC_V1);
      if (!v1 && !Arrays.equals(magic, RECORDS_MAGIC)) {
        throw new CorruptCollectionException(recFile + " is not a jvector records file.");
      }
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        int ord = in.readInt();
        if (ord < 0 || ord >= next || recs[ord] != null)
          throw new CorruptCollectionException(recFile + " holds an invalid ordinal " + ord + ".");
        Modality modality = Modality.values()[in.readByte()];
        String id = readString(in, recFile);
        Metadata meta = v1 ? readStringMetadata(in, recFile) : MetadataCodec.read(in);
        Source source = Source.decode(readString(in, recFile));
        recs[ord] = new Rec(id, modality, meta, source);
        ordOf.put(id, ord);
        liveCount[modality.ordinal()]++;
      }
    } catch (CorruptCollectionException e) {
      throw e;
    } catch (IOException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new CorruptCollectionException(recFile + " is malformed: " + e, e);
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(vecFile), 1 << 16))) {
      if (!Arrays.equals(in.readNBytes(VECTORS_MAGIC.length), VECTORS_MAGIC)
          || in.readInt() != dim) {
        throw new CorruptCollectionException(
            vecFile + " is not a jvector vectors file of dimension " + dim + ".");
      }
      int n = in.readInt();
      if (n != ordOf.size())
        throw new CorruptCollectionException(
            vecFile + " holds " + n + " vectors for " + ordOf.size() + " records.");
      byte[] buf = new byte[dim * Float.BYTES];
      for (int i = 0; i < n; i++) {
        int ord = in.readInt();
        if (ord < 0 || ord >= next || recs[ord] == null || vectors[ord] != null) {
          throw new CorruptCollectionException(
              vecFile + " holds a vector for an unknown ordinal " + ord + ".");
        }
        in.readFully(buf);
        float[] v = new float[dim];
        java.nio.ByteBuffer.wrap(buf).asFloatBuffer().get(v);
        vectors[ord] = v;
        norms[ord] = QueryScorer.norm(v);
      }
    } catch (EOFException e) {
      throw new CorruptCollectionException(vecFile + " is truncated.", e);
    }
    for (int g = 0; g < builders.length; g++) {
      Path gf = dir.resolve(prefix + graphName(g));
      if (!m.files().containsKey(gf.getFileName().toString())) continue;
      try (ReaderSupplier rs = ReaderSupplierFactory.open(gf);
          RandomAccessReader r = rs.get()) {
        loadGraph(builders[g], r);
      } catch (CorruptCollectionException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new CorruptCollectionException(gf + " could not be read as a JVector graph: " + e, e);
      }
    }
    Path pqFile = dir.resolve(prefix + "pq");
    if (m.files().containsKey(pqFile.getFileName().toString())) {
      try (ReaderSupplier rs = ReaderSupplierFactory.open(pqFile);
          RandomAccessReader r = rs.get()) {
        pq = ProductQuantization.load(r);
      }
      pqCodes = new MutablePQVectors(pq);
      for (int ord = 0; ord < nextOrd; ord++) {
        if (recs[ord] != null) pqCodes.encodeAndSet(ord, table.getVector(ord));
      }
    }
    refreshLandmarks(true);
    LOG.debug(
        "Opened jvector store {} generation {} with {} records", dir, m.generation(), ordOf.size());
  }

  @SuppressWarnings("deprecation")
  private static void loadGraph(GraphIndexBuilder b, RandomAccessReader r) throws IOException {
    b.load(r);
  }

  /** Trains PQ once enough vectors exist, if the store was created with pq-subspaces above 0. */
  private void maybeTrainPq() {
    if (settings.pqSubspaces() == 0 || pq != null || ordOf.size() < PQ_MIN_TRAINING) return;
    int subspaces = Math.min(settings.pqSubspaces(), dim);
    List<VectorFloat<?>> sample = new ArrayList<>();
    for (int ord = 0; ord < nextOrd; ord++) {
      if (recs[ord] != null) sample.add(table.getVector(ord));
    }
    var ravv = new io.github.jbellis.jvector.graph.ListRandomAccessVectorValues(sample, dim);
    pq = ProductQuantization.compute(ravv, subspaces, 256, similarity == Similarity.EUCLIDEAN);
    pqCodes = new MutablePQVectors(pq);
    for (int ord = 0; ord < nextOrd; ord++) {
      if (recs[ord] != null) pqCodes.encodeAndSet(ord, table.getVector(ord));
    }
    LOG.info(
        "Trained PQ for {}: {} subspaces, {} bytes per vector instead of {}",
        dir,
        subspaces,
        pq.compressedVectorSize(),
        dim * Float.BYTES);
  }

  /** Bytes per vector of the PQ codes kept in memory, or 0 without PQ. */
  int pqBytesPerVector() {
    return pq == null ? 0 : pq.compressedVectorSize();
  }

  private void deleteOtherGenerations(java.util.Set<String> keep) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "g*.*")) {
      for (Path p : ds) {
        if (!keep.contains(p.getFileName().toString())) Files.deleteIfExists(p);
      }
    }
  }

  private void removeStrayFiles(Manifest m) throws IOException {
    // Files of a commit that crashed before its manifest switched: never referenced, safe to drop.
    deleteOtherGenerations(m.files().keySet());
  }

  private void ensureCapacity(int n) {
    if (n <= vectors.length) return;
    int cap = Math.max(n, vectors.length * 2);
    vectors = Arrays.copyOf(vectors, cap);
    norms = Arrays.copyOf(norms, cap);
    recs = Arrays.copyOf(recs, cap);
  }

  private void ensureOpen() {
    if (closed) throw new ClosedException("The jvector store in " + dir);
  }

  private void ensureWritable() {
    ensureOpen();
    if (readOnly) {
      throw new TesseraException(
          "The jvector store in " + dir + " was opened read-only; open it writable to change it.");
    }
  }

  @Override
  public void close() throws IOException {
    lock.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      for (GraphIndexBuilder b : builders) b.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** JVector's view of the vector table, by ordinal; vectors are wrapped, not copied. */
  private final class VectorTable implements RandomAccessVectorValues {
    @Override
    public int size() {
      return nextOrd;
    }

    @Override
    public int dimension() {
      return dim;
    }

    @Override
    public VectorFloat<?> getVector(int ord) {
      return VTS.createFloatVector(vectors[ord]);
    }

    @Override
    public boolean isValueShared() {
      return false;
    }

    @Override
    public RandomAccessVectorValues copy() {
      return this;
    }
  }

  /**
   * Graph statistics for the reachability measurements of the harness: per graph its nodes, the
   * share of base-layer edges that join two modalities, and the share of nodes a walk over the base
   * layer from the entry point reaches, in total and per modality.
   */
  Map<String, Object> diagnostics() throws IOException {
    lock.readLock().lock();
    try {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int g = 0; g < builders.length; g++) {
        var graph = builders[g].getGraph();
        String n = graphName(g);
        m.put(n + ".nodes", graph.size(0));
        m.put(n + ".levels", graph.getMaxLevel() + 1);
        if (graph.size(0) == 0) continue;
        try (var view = graph.getView()) {
          long edges = 0;
          long cross = 0;
          for (int ord = 0; ord < nextOrd; ord++) {
            if (recs[ord] == null || graphOf(recs[ord].modality()) != g) continue;
            for (var it = view.getNeighborsIterator(0, ord); it.hasNext(); ) {
              int nb = it.nextInt();
              edges++;
              if (recs[nb] != null && recs[nb].modality() != recs[ord].modality()) cross++;
            }
          }
          m.put(n + ".avgDegree", edges / (double) Math.max(1, graph.size(0)));
          m.put(n + ".crossModalityEdgeShare", cross / (double) Math.max(1, edges));
          var entry = view.entryNode();
          m.put(
              n + ".entryModality",
              recs[entry.node] == null ? "deleted" : recs[entry.node].modality());
          BitSet seen = new BitSet();
          java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
          queue.add(entry.node);
          seen.set(entry.node);
          while (!queue.isEmpty()) {
            int x = queue.poll();
            for (var it = view.getNeighborsIterator(0, x); it.hasNext(); ) {
              int nb = it.nextInt();
              if (!seen.get(nb)) {
                seen.set(nb);
                queue.add(nb);
              }
            }
          }
          m.put(n + ".reachableFromEntry", seen.cardinality() / (double) graph.size(0));
        }
      }
      return m;
    } finally {
      lock.readLock().unlock();
    }
  }
}
