package dev.tessera.index.lucene;

import dev.tessera.api.ClosedException;
import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.TesseraException;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
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
 * searcher never holds half a batch. This class owns the lifecycle (create, open, close), the
 * writes and the searchers; the rest has its own class: the commit user data ({@link CommitData}),
 * the document layout ({@link Records}) and reading it back ({@link StoredRecords}), the search
 * ({@link LuceneSearch}), the checksum pass on open ({@link Integrity}) and the mapping of Lucene's
 * failures ({@link Failures}).
 */
final class LuceneStore implements VectorStore {
  private static final Logger LOG = LoggerFactory.getLogger(LuceneStore.class);

  private final Path path;
  private final ModelFingerprint fingerprint;
  private final LuceneSettings settings;
  private final boolean readOnly;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Records records;
  private final StoredRecords stored;
  private final LuceneSearch search;

  /** Batches hold it shared; commit, refresh and close hold it exclusively. */
  private final ReentrantReadWriteLock batches = new ReentrantReadWriteLock();

  private final ReentrantLock refreshLock = new ReentrantLock();

  /** Counts returned writes; {@link #visible} is the count the current searcher includes. */
  private final AtomicLong writes = new AtomicLong();

  private volatile long visible;

  private final MergeOnCommit merges = new MergeOnCommit();

  private volatile boolean closed;

  private LuceneStore(
      Path path,
      ModelFingerprint fingerprint,
      LuceneSettings settings,
      Directory directory,
      IndexWriter writer,
      SearcherManager searchers,
      boolean nativeFilters) {
    this.path = path;
    this.fingerprint = fingerprint;
    this.settings = settings;
    this.readOnly = writer == null;
    this.directory = directory;
    this.writer = writer;
    this.searchers = searchers;
    this.records = new Records(fingerprint, nativeFilters);
    this.stored = new StoredRecords(path, fingerprint);
    this.search =
        new LuceneSearch(
            fingerprint.similarity(),
            settings.overQuery(),
            settings.exactBelow(),
            stored,
            nativeFilters);
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
    return create(path, fingerprint, settings, opener, CommitData.FORMAT);
  }

  /** Creates a store in layout {@code format}; tests create layout 1 stores with it. */
  static LuceneStore create(
      Path path,
      ModelFingerprint fingerprint,
      LuceneSettings settings,
      DirectoryOpener opener,
      String format)
      throws IOException {
    Directory dir = opener.open(path);
    IndexWriter w = null;
    try {
      w = new IndexWriter(dir, config(settings, IndexWriterConfig.OpenMode.CREATE, path));
      w.setLiveCommitData(CommitData.of(fingerprint, settings, format).entrySet());
      w.commit();
      LuceneStore s =
          new LuceneStore(
              path,
              fingerprint,
              settings,
              dir,
              w,
              new SearcherManager(w, true, false, null),
              CommitData.FORMAT.equals(format));
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
      CommitData recorded = CommitData.read(dir, path);
      ModelFingerprint fp = recorded.fingerprint();
      LuceneSettings settings = requested.withBuildOf(recorded.build(), context);
      if (context.readOnly()) {
        // No IndexWriter: no write.lock is taken, so a read-only open works beside a writer.
        reader = DirectoryReader.open(dir);
        searchers = new SearcherManager(reader, null);
        reader = null; // the manager owns it now
      } else {
        w = new IndexWriter(dir, config(settings, IndexWriterConfig.OpenMode.APPEND, path));
        w.setLiveCommitData(recorded.userData().entrySet());
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
      return new LuceneStore(path, fp, settings, dir, w, searchers, recorded.nativeFilters());
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
      merges.upserted(docs.size());
    } catch (IOException | IllegalStateException e) {
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
    } catch (IOException | IllegalStateException e) {
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
      try {
        writer.commit();
      } catch (IOException | IllegalStateException e) {
        throw failed("commit", e);
      }
      // Still under the batch lock, so no write slips in before the merge's own commit.
      if (merges.afterCommit(writer, directory, path)) writes.incrementAndGet();
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
          return Optional.of(stored.load(s, td.scoreDocs[0].doc));
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
            StoredRecords.VectorCursor cursor = stored.new VectorCursor(leaf.reader());
            for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
              if (live != null && !live.get(doc)) continue;
              action.accept(stored.load(leaf, doc, cursor));
            }
          }
          return null;
        });
  }

  /** Reads stored fields only: a folder sync over a lucene store never touches a vector file. */
  @Override
  public void forEachRecord(RecordVisitor visitor) throws IOException {
    read(
        s -> {
          for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            Bits live = leaf.reader().getLiveDocs();
            StoredFields fields = leaf.reader().storedFields();
            for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
              if (live != null && !live.get(doc)) continue;
              StoredRecords.visit(fields.document(doc), visitor);
            }
          }
          return null;
        });
  }

  @Override
  public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
    if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k + ".");
    return read(s -> search.search(s, query, k, filter));
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
    } catch (IllegalStateException e) { // Lucene's AlreadyClosedException after a tragedy
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
