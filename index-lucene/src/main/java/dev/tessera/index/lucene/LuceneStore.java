package dev.tessera.index.lucene;

import dev.tessera.api.ClosedException;
import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.Source;
import dev.tessera.api.TesseraException;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link VectorStore} on one Lucene index: HNSW vectors per modality, metadata as terms, the rest
 * as stored fields.
 *
 * <p>Writes go through one {@link IndexWriter}; reads use near-real-time searchers that are
 * refreshed when a write returned since the last refresh, so every read sees every returned write.
 * A batch is applied under a shared lock, commits and refreshes take it exclusively: a commit or a
 * searcher never holds half a batch. Searches ask Lucene for {@code k + over-query} candidates per
 * modality (metadata filters go into Lucene's kNN query as its filter), rescore them exactly with
 * Tessera's kernels and break ties by id; when ties could reach past the candidates, the filtered
 * records are scored exactly instead.
 */
final class LuceneStore implements VectorStore {
  private static final Logger LOG = LoggerFactory.getLogger(LuceneStore.class);

  /** Commit user data: which store wrote the index. */
  static final String KEY_STORE = "tessera.store";

  /** Commit user data: this store's layout version. */
  static final String KEY_FORMAT = "tessera.store-format";

  /** Commit user data: the fingerprint's canonical form. */
  static final String KEY_FINGERPRINT = "tessera.fingerprint";

  /** Commit user data: prefix of the build settings. */
  static final String KEY_SETTING_PREFIX = "tessera.setting.";

  static final String FORMAT = "1";

  private final Path path;
  private final ModelFingerprint fingerprint;
  private final LuceneSettings settings;
  private final boolean readOnly;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Records records;
  private final Similarity similarity;

  /** Batches hold it shared; commit, refresh and close hold it exclusively. */
  private final ReentrantReadWriteLock batches = new ReentrantReadWriteLock();

  private final ReentrantLock refreshLock = new ReentrantLock();

  /** Counts returned writes; {@link #visible} is the count the current searcher includes. */
  private final AtomicLong writes = new AtomicLong();

  private volatile long visible;
  private volatile boolean closed;

  private LuceneStore(
      Path path,
      ModelFingerprint fingerprint,
      LuceneSettings settings,
      Directory directory,
      IndexWriter writer,
      SearcherManager searchers) {
    this.path = path;
    this.fingerprint = fingerprint;
    this.settings = settings;
    this.readOnly = writer == null;
    this.directory = directory;
    this.writer = writer;
    this.searchers = searchers;
    this.records = new Records(fingerprint);
    this.similarity = fingerprint.similarity();
  }

  /** Opens the Lucene directory of a store; tests pass one that injects file-system faults. */
  @FunctionalInterface
  interface DirectoryOpener {
    /** The directory over {@code path}. */
    Directory open(Path path) throws IOException;
  }

  static LuceneStore create(Path path, ModelFingerprint fingerprint, LuceneSettings settings)
      throws IOException {
    return create(path, fingerprint, settings, FSDirectory::open);
  }

  static LuceneStore create(
      Path path, ModelFingerprint fingerprint, LuceneSettings settings, DirectoryOpener opener)
      throws IOException {
    Directory dir = opener.open(path);
    IndexWriter w = null;
    try {
      w = new IndexWriter(dir, config(settings, IndexWriterConfig.OpenMode.CREATE, path));
      w.setLiveCommitData(userData(fingerprint, settings).entrySet());
      w.commit();
      LuceneStore s =
          new LuceneStore(
              path, fingerprint, settings, dir, w, new SearcherManager(w, true, false, null));
      LOG.debug("Created a lucene store in {} for {} with {}", path, fingerprint, settings);
      return s;
    } catch (LockObtainFailedException e) {
      IOUtils.closeWhileHandlingException(dir);
      throw lockHeld(path, e);
    } catch (Throwable t) {
      if (w != null) IOUtils.closeWhileHandlingException(w::rollback);
      IOUtils.closeWhileHandlingException(dir);
      throw t;
    }
  }

  static LuceneStore open(StoreContext context, LuceneSettings requested) throws IOException {
    return open(context, requested, true, FSDirectory::open);
  }

  /**
   * Opens the store; {@code verify} false skips the checksum pass over the data files, only so the
   * open-cost harness can measure what that pass costs.
   */
  static LuceneStore open(
      StoreContext context, LuceneSettings requested, boolean verify, DirectoryOpener opener)
      throws IOException {
    Path path = context.directory();
    if (!Files.isDirectory(path)) {
      throw new CorruptCollectionException(
          "The lucene store directory "
              + path
              + " does not exist: the store was never created there or was removed.");
    }
    Directory dir = opener.open(path);
    IndexWriter w = null;
    DirectoryReader reader = null;
    SearcherManager searchers = null;
    try {
      Map<String, String> userData = readCommitData(dir, path);
      ModelFingerprint fp = recordedFingerprint(userData, path);
      Map<String, String> build = new TreeMap<>();
      for (Map.Entry<String, String> e : userData.entrySet()) {
        if (e.getKey().startsWith(KEY_SETTING_PREFIX))
          build.put(e.getKey().substring(KEY_SETTING_PREFIX.length()), e.getValue());
      }
      LuceneSettings settings = requested.withBuildOf(build, context);
      if (context.readOnly()) {
        // No IndexWriter: no write.lock is taken, so a read-only open works beside a writer.
        reader = DirectoryReader.open(dir);
        searchers = new SearcherManager(reader, null);
        reader = null; // the manager owns it now
      } else {
        w = new IndexWriter(dir, config(settings, IndexWriterConfig.OpenMode.APPEND, path));
        w.setLiveCommitData(userData.entrySet());
        searchers = new SearcherManager(w, true, false, null);
      }
      if (verify) {
        IndexSearcher first = searchers.acquire();
        try {
          Integrity.verify(first.getIndexReader(), path);
        } finally {
          searchers.release(first);
        }
      }
      LOG.debug(
          "Opened the lucene store in {} ({}) for {} with {}",
          path,
          context.readOnly() ? "read-only" : "writable",
          fp,
          settings);
      return new LuceneStore(path, fp, settings, dir, w, searchers);
    } catch (LockObtainFailedException e) {
      IOUtils.closeWhileHandlingException(dir);
      throw lockHeld(path, e);
    } catch (IOException e) {
      closeAfterFailure(w, searchers, reader, dir);
      if (Integrity.isDamage(e)) throw Integrity.damaged(path, e);
      throw e;
    } catch (Throwable t) {
      closeAfterFailure(w, searchers, reader, dir);
      throw t;
    }
  }

  private static void closeAfterFailure(
      IndexWriter w, SearcherManager searchers, DirectoryReader reader, Directory dir) {
    IOUtils.closeWhileHandlingException(searchers);
    if (w != null) IOUtils.closeWhileHandlingException(w::rollback);
    IOUtils.closeWhileHandlingException(reader, dir);
  }

  private static Map<String, String> readCommitData(Directory dir, Path path) throws IOException {
    try {
      return SegmentInfos.readLatestCommit(dir).getUserData();
    } catch (IndexNotFoundException e) {
      throw new CorruptCollectionException(
          "There is no Lucene index in "
              + path
              + ": the lucene store was never created there, or its segments_N files were removed.",
          e);
    }
  }

  private static ModelFingerprint recordedFingerprint(Map<String, String> userData, Path path) {
    if (!LuceneStoreProvider.NAME.equals(userData.get(KEY_STORE))) {
      throw new CorruptCollectionException(
          "The Lucene index in "
              + path
              + " was not written by Tessera's lucene store (its commit data has no "
              + KEY_STORE
              + "="
              + LuceneStoreProvider.NAME
              + "; found "
              + userData.keySet()
              + ").");
    }
    String format = userData.get(KEY_FORMAT);
    if (!FORMAT.equals(format)) {
      throw new CorruptCollectionException(
          "The lucene store in "
              + path
              + " has layout version "
              + format
              + "; this version of Tessera reads version "
              + FORMAT
              + ". Open it with the Tessera version that wrote it, or reindex it.");
    }
    String fp = userData.get(KEY_FINGERPRINT);
    try {
      return ModelFingerprint.parse(fp);
    } catch (IllegalArgumentException e) {
      throw new CorruptCollectionException(
          "The lucene store in " + path + " records an unreadable fingerprint: " + e.getMessage(),
          e);
    }
  }

  private static TesseraException lockHeld(Path path, LockObtainFailedException e) {
    return new TesseraException(
        "The lucene store in "
            + path
            + " is already open for writing (its write.lock is held by another store instance"
            + " or process). Close that one first, or open this one read-only.",
        e);
  }

  private static IndexWriterConfig config(
      LuceneSettings settings, IndexWriterConfig.OpenMode mode, Path path) {
    IndexWriterConfig c = new IndexWriterConfig();
    c.setCodec(Formats.codec(settings));
    c.setOpenMode(mode);
    // close() discards uncommitted writes, as the VectorStore contract says.
    c.setCommitOnClose(false);
    c.setRAMBufferSizeMB(settings.ramBufferMb());
    // A failed background merge is logged in one line, not printed as a stack trace; the writer
    // keeps the failure and the store's next call reports it.
    c.setMergeScheduler(new QuietMergeScheduler(path));
    return c;
  }

  static Map<String, String> userData(ModelFingerprint fingerprint, LuceneSettings settings) {
    Map<String, String> m = new TreeMap<>();
    m.put(KEY_STORE, LuceneStoreProvider.NAME);
    m.put(KEY_FORMAT, FORMAT);
    m.put(KEY_FINGERPRINT, fingerprint.canonical());
    for (Map.Entry<String, String> e : settings.buildEntries().entrySet())
      m.put(KEY_SETTING_PREFIX + e.getKey(), e.getValue());
    return m;
  }

  /** The settings in effect (build settings as recorded at creation). */
  LuceneSettings settings() {
    return settings;
  }

  /** Blocks until Lucene's background merges finish; for measurements that should not race them. */
  void waitForMerges() throws IOException {
    ensureWritable("wait for merges");
    if (writer.getConfig().getMergeScheduler()
        instanceof org.apache.lucene.index.ConcurrentMergeScheduler cms) cms.sync();
  }

  /** How many segments the current searcher sees; for measurements. */
  int segmentCount() throws IOException {
    return read(s -> s.getIndexReader().leaves().size());
  }

  @Override
  public ModelFingerprint fingerprint() {
    ensureOpen();
    return fingerprint;
  }

  @Override
  public void upsert(List<Item> items) throws IOException {
    ensureWritable("upsert");
    if (items.isEmpty()) return;
    List<Document> docs = new ArrayList<>(items.size());
    for (Item item : items) docs.add(records.document(item));
    batches.readLock().lock();
    try {
      ensureOpen();
      for (int i = 0; i < docs.size(); i++)
        writer.updateDocument(Records.idTerm(items.get(i).id()), docs.get(i));
      writes.incrementAndGet();
    } catch (IOException | AlreadyClosedException e) {
      throw failed("upsert", e);
    } finally {
      batches.readLock().unlock();
    }
  }

  @Override
  public void delete(List<String> ids) throws IOException {
    ensureWritable("delete");
    if (ids.isEmpty()) return;
    Term[] terms = new Term[ids.size()];
    for (int i = 0; i < terms.length; i++) terms[i] = Records.idTerm(ids.get(i));
    batches.readLock().lock();
    try {
      ensureOpen();
      writer.deleteDocuments(terms);
      writes.incrementAndGet();
    } catch (IOException | AlreadyClosedException e) {
      throw failed("delete", e);
    } finally {
      batches.readLock().unlock();
    }
  }

  @Override
  public void commit() throws IOException {
    ensureWritable("commit");
    batches.writeLock().lock();
    try {
      ensureOpen();
      writer.commit();
    } catch (IOException | AlreadyClosedException e) {
      throw failed("commit", e);
    } finally {
      batches.writeLock().unlock();
    }
  }

  @Override
  public Optional<Item> get(String id) throws IOException {
    return read(
        s -> {
          TopDocs td = s.search(new TermQuery(Records.idTerm(id)), 1);
          if (td.scoreDocs.length == 0) return Optional.empty();
          int doc = td.scoreDocs[0].doc;
          List<LeafReaderContext> leaves = s.getIndexReader().leaves();
          LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
          return Optional.of(load(leaf, doc - leaf.docBase, null));
        });
  }

  @Override
  public long count() throws IOException {
    return read(s -> (long) s.getIndexReader().numDocs());
  }

  @Override
  public void forEach(Consumer<? super Item> action) throws IOException {
    read(
        s -> {
          for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            Bits live = leaf.reader().getLiveDocs();
            VectorCursor cursor = new VectorCursor(leaf.reader());
            for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
              if (live != null && !live.get(doc)) continue;
              action.accept(load(leaf, doc, cursor));
            }
          }
          return null;
        });
  }

  @Override
  public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
    if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k + ".");
    return read(
        s -> {
          Query metadata = metadataFilter(filter);
          int candidates = (int) Math.min((long) k + settings.overQuery(), Integer.MAX_VALUE - 1);
          List<Candidate> all = new ArrayList<>();
          List<int[]> fullLists =
              new ArrayList<>(); // [from, to) ranges of modalities whose candidate list came back
          // full
          for (Modality m : filter.modalities()) {
            TopDocs td =
                s.search(
                    new KnnFloatVectorQuery(Records.vectorField(m), query, candidates, metadata),
                    candidates);
            int from = all.size();
            for (ScoreDoc sd : td.scoreDocs) all.add(new Candidate(sd.doc, m));
            if (td.scoreDocs.length >= candidates) fullLists.add(new int[] {from, all.size()});
          }
          QueryScorer scorer = QueryScorer.of(similarity, query);
          rescore(s, scorer, all);
          if (all.size() >= k && !fullLists.isEmpty()) {
            float kth = kthBest(all, k);
            for (int[] range : fullLists) {
              float worst = Float.POSITIVE_INFINITY;
              for (int i = range[0]; i < range[1]; i++) worst = Math.min(worst, all.get(i).score);
              // Every candidate of a full list scores at least the k-th best: records tied with the
              // k-th may lie beyond the candidates, and only an exact pass can order them by id.
              if (worst >= kth) return hits(s, top(s, exact(s, scorer, filter, metadata), k));
            }
          }
          return hits(s, top(s, all, k));
        });
  }

  /** The metadata part of a filter as Lucene filter clauses, or null when it has none. */
  private static Query metadataFilter(Filter filter) {
    if (filter.condition().isEmpty()) return null;
    return new ConditionQuery(filter.condition().get());
  }

  /** A record found by a search: its global doc id, modality, exact score and (when needed) id. */
  private static final class Candidate {
    final int doc;
    final Modality modality;
    float score;
    String id;

    Candidate(int doc, Modality modality) {
      this.doc = doc;
      this.modality = modality;
    }
  }

  private static final Comparator<Candidate> BY_DOC = Comparator.comparingInt(c -> c.doc);
  private static final Comparator<Candidate> BY_SCORE = (a, b) -> Float.compare(b.score, a.score);

  /** Sets each candidate's score to Tessera's exact score of its stored vector. */
  private void rescore(IndexSearcher s, QueryScorer scorer, List<Candidate> candidates)
      throws IOException {
    List<Candidate> byDoc = new ArrayList<>(candidates);
    byDoc.sort(BY_DOC);
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    int leafIndex = -1;
    VectorCursor cursor = null;
    LeafReaderContext leaf = null;
    for (Candidate c : byDoc) {
      int li = ReaderUtil.subIndex(c.doc, leaves);
      if (li != leafIndex) {
        leafIndex = li;
        leaf = leaves.get(li);
        cursor = new VectorCursor(leaf.reader());
      }
      c.score = scorer.score(cursor.vector(c.modality, c.doc - leaf.docBase));
    }
  }

  /** Every live record passing the filter, scored exactly. */
  private List<Candidate> exact(IndexSearcher s, QueryScorer scorer, Filter filter, Query metadata)
      throws IOException {
    Weight weight =
        metadata == null
            ? null
            : s.createWeight(s.rewrite(metadata), ScoreMode.COMPLETE_NO_SCORES, 1f);
    List<Candidate> out = new ArrayList<>();
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      LeafReader r = leaf.reader();
      Bits live = r.getLiveDocs();
      for (Modality m : filter.modalities()) {
        FloatVectorValues values = r.getFloatVectorValues(Records.vectorField(m));
        if (values == null) continue;
        DocIdSetIterator accepted = null;
        if (weight != null) {
          Scorer matching = weight.scorer(leaf);
          if (matching == null) continue;
          accepted = matching.iterator();
        }
        KnnVectorValues.DocIndexIterator it = values.iterator();
        for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          if (live != null && !live.get(doc)) continue;
          if (accepted != null) {
            if (accepted.docID() < doc) accepted.advance(doc);
            if (accepted.docID() != doc) continue;
          }
          Candidate c = new Candidate(leaf.docBase + doc, m);
          c.score = scorer.score(values.vectorValue(it.index()));
          out.add(c);
        }
      }
    }
    return out;
  }

  private static float kthBest(List<Candidate> scored, int k) {
    float[] scores = new float[scored.size()];
    for (int i = 0; i < scores.length; i++) scores[i] = scored.get(i).score;
    Arrays.sort(scores);
    return scores[scores.length - k];
  }

  /** The best {@code k} candidates by score, ties at the boundary broken by id. */
  private List<Candidate> top(IndexSearcher s, List<Candidate> scored, int k) throws IOException {
    scored.sort(BY_SCORE);
    if (scored.size() <= k) return scored;
    float kth = scored.get(k - 1).score;
    if (scored.get(k).score != kth) return new ArrayList<>(scored.subList(0, k));
    // Ties straddle the boundary: keep the better ones, then the tied ones with the smallest ids.
    int firstTied = k - 1;
    while (firstTied > 0 && scored.get(firstTied - 1).score == kth) firstTied--;
    int endTied = k;
    while (endTied < scored.size() && scored.get(endTied).score == kth) endTied++;
    List<Candidate> tied = new ArrayList<>(scored.subList(firstTied, endTied));
    StoredFields stored = s.storedFields();
    for (Candidate c : tied)
      c.id = stored.document(c.doc, java.util.Set.of(Records.ID)).get(Records.ID);
    tied.sort(Comparator.comparing((Candidate c) -> c.id));
    List<Candidate> out = new ArrayList<>(scored.subList(0, firstTied));
    out.addAll(tied.subList(0, k - firstTied));
    return out;
  }

  private List<Hit> hits(IndexSearcher s, List<Candidate> chosen) throws IOException {
    List<Hit> hits = new ArrayList<>(chosen.size());
    StoredFields stored = s.storedFields();
    for (Candidate c : chosen) {
      Document d = stored.document(c.doc);
      hits.add(
          new Hit(
              d.get(Records.ID),
              c.score,
              c.modality,
              Records.decodeMetadata(d),
              Source.decode(d.get(Records.SOURCE))));
    }
    hits.sort(Hit.ORDER);
    return hits;
  }

  /**
   * Reads the record of {@code doc} (leaf-local); {@code cursor} reuses vector iterators for
   * ascending docs.
   */
  private Item load(LeafReaderContext leaf, int doc, VectorCursor cursor) throws IOException {
    Document d = leaf.reader().storedFields().document(doc);
    String id = d.get(Records.ID);
    Modality m = Modality.parse(d.get(Records.MODALITY));
    VectorCursor c = cursor == null ? new VectorCursor(leaf.reader()) : cursor;
    float[] vector = c.vector(m, doc);
    return new Item(
        id,
        new Embedding(vector, fingerprint, m),
        Records.decodeMetadata(d),
        Source.decode(d.get(Records.SOURCE)));
  }

  /**
   * Reads stored vectors of one segment for ascending doc ids, one forward-only iterator per
   * modality. The array returned may be reused by the next call: copy it to keep it.
   */
  private final class VectorCursor {
    private final LeafReader reader;
    private final Map<Modality, FloatVectorValues> values = new HashMap<>(2);
    private final Map<Modality, KnnVectorValues.DocIndexIterator> iterators = new HashMap<>(2);

    VectorCursor(LeafReader reader) {
      this.reader = reader;
    }

    float[] vector(Modality m, int doc) throws IOException {
      KnnVectorValues.DocIndexIterator it = iterators.get(m);
      if (it == null || it.docID() > doc) {
        FloatVectorValues v = reader.getFloatVectorValues(Records.vectorField(m));
        if (v == null) throw missingVector(m, doc);
        values.put(m, v);
        it = v.iterator();
        iterators.put(m, it);
      }
      if (it.docID() < doc) it.advance(doc);
      if (it.docID() != doc) throw missingVector(m, doc);
      return values.get(m).vectorValue(it.index());
    }

    private CorruptCollectionException missingVector(Modality m, int doc) {
      return new CorruptCollectionException(
          "The lucene store in "
              + path
              + " has a record (segment doc "
              + doc
              + ") without its "
              + m.id()
              + " vector: the index is damaged. Restore it from a backup or reindex it.");
    }
  }

  private interface SearcherCall<T> {
    T call(IndexSearcher searcher) throws IOException;
  }

  /** Runs {@code call} on a searcher that includes every write that returned before. */
  private <T> T read(SearcherCall<T> call) throws IOException {
    ensureOpen();
    try {
      refreshIfStale();
      IndexSearcher s = searchers.acquire();
      try {
        return call.call(s);
      } finally {
        searchers.release(s);
      }
    } catch (AlreadyClosedException e) {
      throw failed("read", e);
    } catch (IOException e) {
      if (Integrity.isDamage(e)) throw Integrity.damaged(path, e);
      throw failed("read", e);
    }
  }

  private void refreshIfStale() throws IOException {
    if (readOnly) return;
    long needed = writes.get();
    if (visible >= needed) return;
    refreshLock.lock();
    try {
      if (visible >= needed) return;
      long target;
      batches.writeLock().lock();
      try {
        ensureOpen();
        target = writes.get();
        searchers.maybeRefreshBlocking();
      } finally {
        batches.writeLock().unlock();
      }
      visible = target;
    } finally {
      refreshLock.unlock();
    }
  }

  private IOException failed(String what, Exception e) {
    return Failures.of(what, path, writer, closed, e);
  }

  private void ensureOpen() {
    if (closed) throw new ClosedException("The lucene store in " + path);
  }

  private void ensureWritable(String what) {
    ensureOpen();
    if (readOnly) {
      throw new TesseraException(
          "Can not "
              + what
              + ": the lucene store in "
              + path
              + " was opened read-only; open it writable to change it.");
    }
  }

  @Override
  public void close() throws IOException {
    batches.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
    } finally {
      batches.writeLock().unlock();
    }
    // Searches in flight keep their searcher until they release it; uncommitted writes are rolled
    // back.
    IOUtils.close(searchers, writer == null ? null : writer::rollback, directory);
  }
}
