package dev.tessera.index.jvector;

import dev.tessera.api.ClosedException;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.TesseraException;
import dev.tessera.api.spi.StoreSamples;
import dev.tessera.api.spi.VectorStore;
import io.github.jbellis.jvector.util.Bits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link VectorStore} on JVector graphs. Records get dense ordinals; vectors live in a table
 * indexed by ordinal and each modality has its own graph (see {@link
 * JVectorSettings#graphPerModality}). A replace is a delete of the old ordinal plus an insert under
 * a new one; deleted ordinals are never returned (the accept-ords {@link Bits} exclude them) and
 * are removed from the graphs at the next commit. Each commit writes a new generation of files and
 * switches the manifest atomically. This class holds the lock and the store's life cycle; its parts
 * do the work: {@link RecordTable}, {@link Graphs}, {@link Landmarks}, {@link SearchPlanner},
 * {@link GenerationFiles}.
 */
final class JVectorStore implements VectorStore {
  private static final Logger LOG = LoggerFactory.getLogger(JVectorStore.class);

  private final Path dir;
  private final ModelFingerprint fingerprint;
  private final boolean readOnly;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  // Guarded by lock.
  private final RecordTable records;
  private final Graphs graphs;
  private final Landmarks landmarks;
  private final SearchPlanner planner;
  private final GenerationFiles files;
  private final JVectorSettings settings;

  /** Ordinals deleted since the last commit, still present in a graph until cleanup. */
  private final BitSet pendingDeletes = new BitSet();

  private long generation;
  private volatile boolean closed;

  private JVectorStore(
      Path dir, ModelFingerprint fingerprint, JVectorSettings settings, boolean readOnly) {
    this.dir = dir;
    this.fingerprint = fingerprint;
    this.settings = settings;
    this.readOnly = readOnly;
    this.records = new RecordTable(fingerprint.dimension());
    this.graphs = new Graphs(records, settings, fingerprint.similarity());
    this.landmarks = new Landmarks(records, graphs);
    this.planner =
        new SearchPlanner(records, graphs, landmarks, settings, fingerprint.similarity());
    this.files = new GenerationFiles(dir, records, graphs);
  }

  static JVectorStore create(Path dir, ModelFingerprint fingerprint, JVectorSettings settings)
      throws IOException {
    JVectorStore s = new JVectorStore(dir, fingerprint, settings, false);
    s.generation = -1;
    s.commit();
    LOG.debug("Created jvector store in {} for {}", dir, fingerprint);
    return s;
  }

  /**
   * How many times {@link #open} starts again when a writer's commit replaced the generation it was
   * reading: each retry needs the manifest to have moved on, so this bounds only a writer that
   * commits faster than a reader can open.
   */
  static final int OPEN_ATTEMPTS = 50;

  static JVectorStore open(Path dir, JVectorSettings requested, boolean readOnly)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      Manifest m = Manifest.read(dir);
      try {
        return open(dir, m, requested, readOnly);
      } catch (IOException | RuntimeException e) {
        // A writer in another handle or process commits by writing generation g+1, switching the
        // manifest, then deleting generation g's files; a reader that read manifest g may find
        // them gone. That is not corruption when the manifest has moved on: read the new one.
        long now = currentGeneration(dir);
        if (now == m.generation() || attempt >= OPEN_ATTEMPTS) throw e;
        LOG.debug(
            "jvector store {}: generation {} was replaced by {} while opening; reading it",
            dir,
            m.generation(),
            now);
      }
    }
  }

  /** The generation the manifest names now, or -1 when it cannot be read. */
  private static long currentGeneration(Path dir) {
    try {
      return Manifest.read(dir).generation();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static JVectorStore open(
      Path dir, Manifest m, JVectorSettings requested, boolean readOnly) throws IOException {
    m.verify(dir);
    ModelFingerprint fp = GenerationFiles.fingerprintOf(m, dir);
    JVectorSettings stored = GenerationFiles.buildSettingsOf(m, dir);
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
    s.files.read(m);
    s.landmarks.refresh(true);
    LOG.debug(
        "Opened jvector store {} generation {} with {} records",
        dir,
        m.generation(),
        s.records.size());
    // Files of a commit that crashed before its manifest switched: never referenced, safe to drop.
    if (!readOnly) s.files.deleteOtherGenerations(m.files().keySet());
    return s;
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
      int first = records.nextOrd();
      records.ensureCapacity(first + items.size());
      for (Item item : items) {
        Integer old = records.ordOf(item.id());
        if (old != null && old >= first) {
          // The id repeats within this batch: the earlier copy never reaches the graph; the last
          // wins.
          records.remove(old, true);
        } else if (old != null) {
          markDeleted(old);
        }
        records.add(item);
      }
      graphs.insert(first, records.nextOrd());
      landmarks.refresh(false);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void markDeleted(int ord) {
    RecordTable.Rec r = records.remove(ord, false);
    pendingDeletes.set(ord);
    graphs.markDeleted(ord, r.modality());
  }

  @Override
  public void delete(List<String> ids) throws IOException {
    lock.writeLock().lock();
    try {
      ensureWritable();
      for (String id : ids) {
        Integer ord = records.ordOf(id);
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
      Integer ord = records.ordOf(id);
      return ord == null ? Optional.empty() : Optional.of(records.item(ord, fingerprint));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long count() throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      return records.size();
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
      for (int ord = 0; ord < records.nextOrd(); ord++) {
        if (records.rec(ord) != null) snapshot.add(records.item(ord, fingerprint));
      }
    } finally {
      lock.readLock().unlock();
    }
    snapshot.forEach(action);
  }

  @Override
  public void forEachRecord(RecordVisitor visitor) throws IOException {
    List<RecordTable.Rec> snapshot = new ArrayList<>();
    lock.readLock().lock();
    try {
      ensureOpen();
      for (int ord = 0; ord < records.nextOrd(); ord++) {
        if (records.rec(ord) != null) snapshot.add(records.rec(ord));
      }
    } finally {
      lock.readLock().unlock();
    }
    for (RecordTable.Rec r : snapshot)
      visitor.visit(r.id(), r.modality(), r.metadata(), r.source());
  }

  @Override
  public List<float[]> sample(Modality modality, int n) throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      // One pass in ordinal order that stops at the last wanted position; no vector is copied but
      // the ones returned.
      long[] at = StoreSamples.evenlySpaced(records.liveCount(modality), n);
      List<float[]> out = new ArrayList<>(at.length);
      long seen = 0;
      for (int ord = 0; ord < records.nextOrd() && out.size() < at.length; ord++) {
        RecordTable.Rec r = records.rec(ord);
        if (r == null || r.modality() != modality) continue;
        if (seen++ == at[out.size()]) out.add(records.vector(ord).clone());
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------- search

  @Override
  public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      int dim = records.dimension();
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
      int wanted = Math.min(k, records.size());
      if (wanted <= 0) return List.of();
      return planner.search(query, wanted, filter);
    } finally {
      lock.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------- commit

  @Override
  public void commit() throws IOException {
    lock.writeLock().lock();
    try {
      ensureWritable();
      long gen = generation + 1;
      // Finish deletes: JVector reconnects the neighbours of removed nodes, then we forget their
      // vectors.
      graphs.removeDeleted(pendingDeletes);
      pendingDeletes.clear();
      // Removed records' ordinals linger in the metadata postings until a rebuild.
      if (records.index().stale()) records.index().rebuild(records);
      else records.index().seal();
      landmarks.refresh(true);
      graphs.maybeTrainPq(dir);
      Map<String, Manifest.FileSum> written = files.write(gen);
      files.switchManifest(gen, written, settings, fingerprint);
      generation = gen;
      files.deleteOtherGenerations(written.keySet());
      // JVector's cleanup (needed before a save) freezes a graph's views for good, and concurrent
      // inserts into a frozen graph can link a node to itself; a graph loaded from the file is
      // mutable again and is, by construction, exactly what a reopen would see.
      files.reloadGraphs(gen, written);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Per-graph searches so far that scored their matches exactly (see {@link SearchPlanner}). */
  long exactPasses() {
    return planner.exactPasses();
  }

  /** Bytes per vector of the PQ codes kept in memory, or 0 without PQ. */
  int pqBytesPerVector() {
    return graphs.pqBytesPerVector();
  }

  /** Graph statistics for the harness (see {@link GraphDiagnostics#of}). */
  Map<String, Object> diagnostics() throws IOException {
    lock.readLock().lock();
    try {
      return GraphDiagnostics.of(records, graphs);
    } finally {
      lock.readLock().unlock();
    }
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
      graphs.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
