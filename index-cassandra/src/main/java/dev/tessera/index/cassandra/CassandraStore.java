package dev.tessera.index.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.tessera.api.ClosedException;
import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.TesseraException;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link VectorStore} whose records live in a Cassandra partition (see {@link Schema}) and whose
 * commits go through the {@link Catalog}'s journal and pointer. Writes are kept in this handle
 * until {@link #commit} (so close discards them and a commit is all or nothing); every read merges
 * three layers, newest first: this handle's pending writes, the journal of a commit that is not
 * applied yet, and the record table.
 */
final class CassandraStore implements VectorStore {
  private static final Logger LOG = LoggerFactory.getLogger(CassandraStore.class);

  /** How often a commit retries when other writers keep committing first. */
  private static final int COMMIT_ATTEMPTS = 100;

  private final Path dir;
  private final Locator locator;
  private final CassandraSettings settings;
  private final ModelFingerprint fingerprint;
  private final boolean readOnly;
  private final Catalog catalog;
  private final RecordTable records;
  private final CassandraSearch search;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** Writes since the last commit, by id: the record, or null for a delete. Guarded by lock. */
  private final Map<String, Item> pending = new LinkedHashMap<>();

  /**
   * The committed modality of each pending id when it was first written here (null: absent), so
   * count() needs no round trip. Guarded by lock.
   */
  private final Map<String, Modality> base = new HashMap<>();

  /** The commit {@link #base} was read against. Guarded by lock. */
  private long baseCommit;

  /** The journal of an unapplied commit, cached by commit number. */
  private volatile Journal journal = new Journal(-1, null, Map.of());

  private volatile boolean closed;

  private record Journal(long commit, UUID txn, Map<String, Item> ops) {}

  /** What one read sees: the pointer it read and the ids whose table rows are out of date. */
  record View(Catalog.Marker marker, Map<String, Item> overlay) {}

  private CassandraStore(
      Path dir,
      Locator locator,
      CassandraSettings settings,
      CqlSession session,
      Catalog.Marker marker,
      boolean readOnly) {
    this.dir = dir;
    this.locator = locator;
    this.settings = settings;
    this.fingerprint = marker.fingerprint();
    this.readOnly = readOnly;
    this.catalog = new Catalog(session, settings, locator.store());
    this.records =
        new RecordTable(session, settings, marker.recordTable(), locator.store(), fingerprint);
    this.search = new CassandraSearch(records, settings, fingerprint);
    this.baseCommit = marker.committed();
  }

  static CassandraStore create(Path dir, CassandraSettings settings, ModelFingerprint fp)
      throws IOException {
    CqlSession session = Sessions.of(settings);
    Schema.ensureKeyspace(session, settings);
    Schema.ensureRecordTable(session, settings, fp);
    String id = "s" + UUID.randomUUID().toString().replace("-", "");
    Locator locator =
        new Locator(
            CassandraSettings.formatContactPoints(settings.contactPoints()),
            settings.localDatacenter(),
            settings.keyspace(),
            id);
    Catalog catalog = new Catalog(session, settings, id);
    long micros = System.currentTimeMillis() * 1000;
    if (!catalog.create(fp, Schema.recordTable(fp), micros)) {
      throw new IOException("A cassandra store id collided (" + id + "); create the store again.");
    }
    locator.write(dir);
    LOG.debug("Created cassandra store {} in {}.{} for {}", id, settings.keyspace(), dir, fp);
    return new CassandraStore(dir, locator, settings, session, catalog.read(), false);
  }

  static CassandraStore open(Path dir, CassandraSettings requested, boolean readOnly)
      throws IOException {
    Locator locator = Locator.read(dir);
    CassandraSettings settings =
        requested.at(
            requested.contactPoints().isEmpty()
                ? CassandraSettings.parseContactPoints(locator.contactPoints())
                : requested.contactPoints(),
            requested.contactPoints().isEmpty()
                ? locator.datacenter()
                : requested.localDatacenter(),
            locator.keyspace());
    CqlSession session = Sessions.of(settings);
    Catalog.Marker marker;
    try {
      marker = new Catalog(session, settings, locator.store()).read();
    } catch (DriverException e) {
      throw new IOException(
          "Could not read cassandra store "
              + locator.store()
              + " in keyspace "
              + locator.keyspace()
              + " at "
              + CassandraSettings.formatContactPoints(settings.contactPoints())
              + ": "
              + e.getMessage(),
          e);
    }
    if (marker == null) {
      throw new CorruptCollectionException(
          "The cassandra store in "
              + dir
              + " names store "
              + locator.store()
              + " in keyspace "
              + locator.keyspace()
              + ", which that cluster does not hold (dropped, or another cluster?).");
    }
    if (!marker.recordTable().equals(Schema.recordTable(marker.fingerprint()))) {
      throw new CorruptCollectionException(
          "The cassandra store "
              + locator.store()
              + " keeps its records in "
              + marker.recordTable()
              + ", which does not fit its fingerprint "
              + marker.fingerprint()
              + ".");
    }
    CassandraStore s = new CassandraStore(dir, locator, settings, session, marker, readOnly);
    if (!readOnly && marker.unapplied()) {
      // A writer died between its commit's pointer switch and the end of applying it: apply it.
      s.replay(marker);
    }
    return s;
  }

  // ---------------------------------------------------------------- views

  /** Reads the pointer and gathers the overlay: the unapplied journal, then pending writes. */
  View view() throws IOException {
    Catalog.Marker m = catalog.read();
    if (m == null) throw new IOException("The cassandra store " + locator.store() + " is gone.");
    Map<String, Item> overlay;
    if (m.unapplied()) {
      Journal j = journal;
      if (j.commit() != m.committed() || !m.txn().equals(j.txn())) {
        j = new Journal(m.committed(), m.txn(), catalog.journal(m));
        journal = j;
      }
      overlay = new HashMap<>(j.ops());
      overlay.putAll(pending);
    } else {
      overlay = pending.isEmpty() ? Map.of() : new HashMap<>(pending);
    }
    return new View(m, overlay);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public ModelFingerprint fingerprint() {
    ensureOpen();
    return fingerprint;
  }

  @Override
  public Optional<Item> get(String id) throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      View v = view();
      if (v.overlay().containsKey(id)) return Optional.ofNullable(v.overlay().get(id));
      return records.get(id);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long count() throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      Catalog.Marker m = catalog.read();
      if (m == null) throw new IOException("The cassandra store " + locator.store() + " is gone.");
      long n = m.count();
      for (Map.Entry<String, Item> e : pending.entrySet()) {
        if (base.get(e.getKey()) != null) n--;
        if (e.getValue() != null) n++;
      }
      return n;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void forEach(Consumer<? super Item> action) throws IOException {
    View v;
    lock.readLock().lock();
    try {
      ensureOpen();
      v = view();
    } finally {
      lock.readLock().unlock();
    }
    for (Row r : records.scan(null, Pushdown.NONE)) {
      if (v.overlay().containsKey(Records.id(r))) continue;
      action.accept(Records.item(r, fingerprint));
    }
    for (Item it : v.overlay().values()) if (it != null) action.accept(it);
  }

  @Override
  public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      if (query.length != fingerprint.dimension()) {
        throw new IllegalArgumentException(
            "Query has "
                + query.length
                + " dimensions; this store holds "
                + fingerprint.dimension()
                + "-d vectors of "
                + fingerprint
                + ".");
      }
      if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k + ".");
      return search.search(view(), query, k, filter);
    } finally {
      lock.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void upsert(List<Item> items) throws IOException {
    lock.writeLock().lock();
    try {
      ensureWritable();
      if (items.isEmpty()) return;
      remember(items.stream().map(Item::id).toList());
      for (Item it : items) pending.put(it.id(), it);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void delete(List<String> ids) throws IOException {
    lock.writeLock().lock();
    try {
      ensureWritable();
      if (ids.isEmpty()) return;
      remember(ids);
      for (String id : ids) pending.put(id, null);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Records the committed modality of each id not pending yet (for count). */
  private void remember(List<String> ids) throws IOException {
    List<String> fresh = new ArrayList<>();
    for (String id : ids) if (!pending.containsKey(id) && !base.containsKey(id)) fresh.add(id);
    if (fresh.isEmpty()) return;
    View v = view();
    List<String> ask = new ArrayList<>();
    for (String id : fresh) {
      if (v.overlay().containsKey(id)) {
        Item it = v.overlay().get(id);
        base.put(id, it == null ? null : it.modality());
      } else {
        ask.add(id);
      }
    }
    Map<String, Modality> found = records.modalities(ask);
    for (String id : ask) base.put(id, found.get(id));
    if (pending.isEmpty()) baseCommit = v.marker().committed();
  }

  // ---------------------------------------------------------------- commit

  @Override
  public void commit() throws IOException {
    lock.writeLock().lock();
    try {
      ensureWritable();
      if (pending.isEmpty()) return;
      for (int attempt = 1; ; attempt++) {
        Catalog.Marker m = catalog.read();
        if (m == null)
          throw new IOException("The cassandra store " + locator.store() + " is gone.");
        if (m.unapplied()) {
          replay(m); // another writer's commit that it did not finish applying
          m = catalog.read();
        }
        if (m.committed() != baseCommit) rebase(m);
        long[] counts = {m.count(), m.countText(), m.countImage()};
        for (Map.Entry<String, Item> e : pending.entrySet()) {
          Modality before = base.get(e.getKey());
          if (before != null) add(counts, before, -1);
          if (e.getValue() != null) add(counts, e.getValue().modality(), 1);
        }
        UUID txn = UUID.randomUUID();
        long n = m.committed() + 1;
        List<Map.Entry<String, Item>> ops = new ArrayList<>(pending.entrySet());
        catalog.writeJournal(n, txn, ops);
        if (catalog.switchTo(m, txn, counts[0], counts[1], counts[2])) {
          records.apply(pending, m.timestamp(n));
          catalog.applied(n);
          pending.clear();
          base.clear();
          baseCommit = n;
          return;
        }
        catalog.dropJournal(n, txn);
        if (attempt >= COMMIT_ATTEMPTS) {
          throw new TesseraException(
              "The cassandra store "
                  + locator.store()
                  + " could not commit: other writers committed first "
                  + attempt
                  + " times in a row. The writes are kept; commit again.");
        }
      }
    } catch (DriverException e) {
      throw new IOException("A commit to cassandra store " + locator.store() + " failed: " + e, e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void add(long[] counts, Modality m, int d) {
    counts[0] += d;
    counts[m == Modality.TEXT ? 1 : 2] += d;
  }

  /** Another writer committed since {@link #base} was read: read it again for every pending id. */
  private void rebase(Catalog.Marker m) {
    base.clear();
    Map<String, Modality> found = records.modalities(new ArrayList<>(pending.keySet()));
    for (String id : pending.keySet()) base.put(id, found.get(id));
    baseCommit = m.committed();
  }

  /** Applies the last commit's journal, which its writer switched to but did not finish. */
  private void replay(Catalog.Marker m) throws IOException {
    Map<String, Item> ops = catalog.journal(m);
    LOG.info(
        "cassandra store {}: applying commit {} ({} writes) that its writer did not finish",
        locator.store(),
        m.committed(),
        ops.size());
    records.apply(ops, m.timestamp(m.committed()));
    catalog.applied(m.committed());
  }

  /** ANN queries this handle's searches sent (for tests). */
  long annQueries() {
    return search.annQueries();
  }

  /** Per-modality searches of this handle answered by an exact pass (for tests). */
  long exactPasses() {
    return search.exactPasses();
  }

  // ---------------------------------------------------------------- life cycle

  private void ensureOpen() {
    if (closed) throw new ClosedException("The cassandra store in " + dir);
  }

  private void ensureWritable() {
    ensureOpen();
    if (readOnly) {
      throw new TesseraException(
          "The cassandra store in "
              + dir
              + " was opened read-only; open it writable to change it.");
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      pending.clear(); // uncommitted writes are discarded; the session stays for other handles
      base.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
