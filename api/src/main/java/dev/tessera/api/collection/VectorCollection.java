package dev.tessera.api.collection;

import dev.tessera.api.ClosedException;
import dev.tessera.api.Embedding;
import dev.tessera.api.FingerprintMismatchException;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Query;
import dev.tessera.api.TesseraException;
import dev.tessera.api.VectorValidator;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.api.spi.VectorStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A persistent collection of text and image embeddings of ONE model, searchable by text or image.
 * This is the gate of the fingerprint contract: every write, query and open is checked here, so no
 * backend can skip it. It also holds the collection's one write lock: a collection has at most one
 * writable handle at a time, in any process; read-only handles ({@link #openReadOnly}) never take
 * it and keep working beside the writer.
 *
 * <p>On disk a collection is a directory: {@code CURRENT} names the live generation, each {@code
 * gen-NNNNNN/} holds a {@code MANIFEST} (format, store, fingerprint, created, settings) and the
 * backend's {@code store/}, and {@code write.lock} is held by the writer. Switching models builds a
 * new generation ({@link Generations#stage}) and switches {@code CURRENT} to it with {@link
 * #publish()}; collections opened before the switch keep reading their generation.
 *
 * <p>Writes are visible to this instance's reads at once and durable after {@link #commit()}; a
 * batch passed to {@link #upsert(List)} is validated whole before anything is written, and ids that
 * appear twice in one batch keep the last record. A search whose filter admits both modalities
 * ranks them together on a calibrated scale (see {@link Query}). Thread-safe. Failures of the file
 * system are thrown as {@link UncheckedIOException} naming the collection and what to do; nothing
 * committed is lost by them.
 */
public final class VectorCollection implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(VectorCollection.class.getName());

  private final Path directory;
  private volatile GenerationManifest manifest;
  private final VectorStore store;
  private final CollectionLock lock;
  private final MixedRanking ranking;
  private volatile boolean staged;
  private volatile boolean closed;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

  VectorCollection(
      Path directory,
      GenerationManifest manifest,
      VectorStore store,
      CollectionLock lock,
      boolean staged) {
    this.directory = directory;
    this.manifest = manifest;
    this.store = store;
    this.lock = lock;
    this.staged = staged;
    this.ranking = new MixedRanking(manifest.fingerprint().similarity());
  }

  // ---------------------------------------------------------------- opening and creating
  // (the work is CollectionFactory's; these are the public entry points)

  /** Creates a new collection in {@code directory} (absent or empty) on the named store. */
  public static VectorCollection create(
      Path directory, String store, ModelFingerprint fingerprint) {
    return create(directory, VectorStores.provider(store), fingerprint, Map.of());
  }

  /** Creates a new collection with store settings (see the store's documentation for the keys). */
  public static VectorCollection create(
      Path directory,
      VectorStoreProvider provider,
      ModelFingerprint fingerprint,
      Map<String, String> settings) {
    return CollectionFactory.create(directory, provider, fingerprint, settings, Map.of());
  }

  /**
   * Creates a new collection with store settings and hints (notes for applications, kept in the
   * generation's manifest, e.g. {@link GenerationManifest#MODEL_HINT}).
   */
  public static VectorCollection create(
      Path directory,
      VectorStoreProvider provider,
      ModelFingerprint fingerprint,
      Map<String, String> settings,
      Map<String, String> hints) {
    return CollectionFactory.create(directory, provider, fingerprint, settings, hints);
  }

  /** Opens the collection in {@code directory} for reading and writing, whatever its model. */
  public static VectorCollection open(Path directory) {
    return open(directory, null, null, false);
  }

  /**
   * Opens the collection in {@code directory} for reading and writing, refusing it unless it was
   * built with {@code expected} (e.g. your encoder's fingerprint).
   */
  public static VectorCollection open(Path directory, ModelFingerprint expected) {
    return open(directory, expected, null, false);
  }

  /**
   * Opens for reading only: no write lock is taken and no file is changed, so another process may
   * be writing; this handle sees the generation as it was when opened. {@code expected} may be null
   * (then check later with {@link #requireFingerprint}).
   */
  public static VectorCollection openReadOnly(Path directory, ModelFingerprint expected) {
    return open(directory, expected, null, true);
  }

  /**
   * Opens the collection; {@code expected} may be null (no check), {@code provider} may be null
   * (the store named by the manifest is found with ServiceLoader) or a provider whose name matches
   * it. A writable open takes the collection's write lock and fails at once, naming the directory,
   * if another handle holds it.
   */
  public static VectorCollection open(
      Path directory, ModelFingerprint expected, VectorStoreProvider provider, boolean readOnly) {
    return CollectionFactory.open(directory, expected, provider, readOnly);
  }

  /**
   * Opens the collection if {@code directory} holds one (checking the fingerprint), else creates
   * it.
   */
  public static VectorCollection openOrCreate(
      Path directory, String store, ModelFingerprint fingerprint) {
    if (exists(directory)) return open(directory, fingerprint);
    return create(directory, store, fingerprint);
  }

  /**
   * Like {@link #openOrCreate(Path, String, ModelFingerprint)} with a provider and settings used
   * when creating.
   */
  public static VectorCollection openOrCreate(
      Path directory,
      VectorStoreProvider provider,
      ModelFingerprint fingerprint,
      Map<String, String> settings) {
    if (exists(directory)) return open(directory, fingerprint, provider, false);
    return create(directory, provider, fingerprint, settings);
  }

  /** Whether {@code directory} holds a collection (its pointer file exists). */
  public static boolean exists(Path directory) {
    return CollectionLayout.exists(directory.toAbsolutePath());
  }

  /**
   * Makes this staged generation the live one: commits it, then switches {@code CURRENT} to it with
   * an atomic rename. Verify the generation (count, spot queries) before calling this.
   */
  public void publish() {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      if (!staged) {
        throw new TesseraException(
            "Generation " + manifest.directoryName() + " of " + directory + " is already live.");
      }
      store.commit();
      String current = CollectionLayout.readPointer(directory);
      if (CollectionLayout.generationNumber(current) >= manifest.generation()) {
        throw new TesseraException(
            "Generation "
                + current
                + " of "
                + directory
                + " was published meanwhile; "
                + manifest.directoryName()
                + " is older and is not published.");
      }
      CollectionLayout.writePointer(directory, manifest.directoryName());
      staged = false;
    } catch (IOException e) {
      throw IoFailures.of("publish " + manifest.directoryName(), directory, e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------- writes

  /** Inserts or replaces one record. */
  public void upsert(Item item) {
    upsert(List.of(item));
  }

  /**
   * Inserts or replaces records. The whole batch is checked first (fingerprint, dimension, finite,
   * non-zero under cosine, normalized where promised): one bad record and nothing is written. An id
   * that appears more than once keeps its last record. An empty batch does nothing.
   */
  public void upsert(List<Item> items) {
    Objects.requireNonNull(items, "items");
    if (items.isEmpty()) return;
    LinkedHashMap<String, Item> byId = new LinkedHashMap<>();
    for (Item item : items) {
      Objects.requireNonNull(item, "items must not contain null");
      VectorValidator.check(
          manifest.fingerprint(), item.embedding(), "write of record '" + item.id() + "'");
      byId.remove(item.id());
      byId.put(item.id(), item);
    }
    List<Item> batch = List.copyOf(byId.values());
    write("write " + batch.size() + " records", () -> store.upsert(batch));
    ranking.wrote(batch.size());
  }

  /** Deletes records by id; ids that are not there are ignored. */
  public void delete(String... ids) {
    delete(List.of(ids));
  }

  /** Deletes records by id; ids that are not there are ignored. */
  public void delete(List<String> ids) {
    for (String id : ids) Item.checkId(id);
    if (ids.isEmpty()) return;
    List<String> copy = List.copyOf(new LinkedHashSet<>(ids));
    write("delete " + copy.size() + " records", () -> store.delete(copy));
    ranking.wrote(copy.size());
  }

  /** Makes every write so far durable; returns when it is on disk. */
  public void commit() {
    write("commit", store::commit);
  }

  // ---------------------------------------------------------------- reads

  /**
   * The {@code k} records nearest to {@code query}, of any modality (ranked as {@link Query} says).
   */
  public List<Hit> search(Embedding query, int k) {
    return search(Query.of(query).k(k));
  }

  /**
   * The records nearest to the query, best first, filtered as the query says. A search that admits
   * both modalities of a collection holding both is ranked on one calibrated scale unless the query
   * asks for {@link Hit.Ranking#SIMILARITY}; every hit says which ({@link Hit#ranking()}).
   */
  public List<Hit> search(Query query) {
    VectorValidator.check(manifest.fingerprint(), query.embedding(), "query");
    return read(
        "search",
        () -> {
          if (query.ranking() == Hit.Ranking.CALIBRATED && query.filter().modalities().size() > 1) {
            return ranking.search(store, query.embedding(), query.k(), query.filter());
          }
          return store.search(query.embedding().vector(), query.k(), query.filter());
        });
  }

  /** The record with this id. */
  public Optional<Item> get(String id) {
    Item.checkId(id);
    return read("read record '" + id + "'", () -> store.get(id));
  }

  /** How many records there are. */
  public long count() {
    return read("count", store::count);
  }

  /** Records per modality (a scan of ids and metadata, no vectors). */
  public Map<Modality, Long> countByModality() {
    EnumMap<Modality, Long> counts = new EnumMap<>(Modality.class);
    for (Modality m : Modality.values()) counts.put(m, 0L);
    forEachRecord((id, modality, metadata, source) -> counts.merge(modality, 1L, Long::sum));
    return counts;
  }

  /** Calls {@code action} for every record, in no particular order. */
  public void forEach(Consumer<? super Item> action) {
    read(
        "scan",
        () -> {
          store.forEach(action);
          return null;
        });
  }

  /** Calls {@code visitor} for every record without reading vectors, in no particular order. */
  public void forEachRecord(VectorStore.RecordVisitor visitor) {
    read(
        "scan",
        () -> {
          store.forEachRecord(visitor);
          return null;
        });
  }

  // ---------------------------------------------------------------- description

  /** The model fingerprint every vector here must have. */
  public ModelFingerprint fingerprint() {
    return manifest.fingerprint();
  }

  /** This generation's manifest: store, fingerprint, creation time, settings. */
  public GenerationManifest manifest() {
    return manifest;
  }

  /**
   * Refuses this handle unless its model is {@code expected}: for applications that open a
   * collection first (e.g. to read its {@link GenerationManifest#MODEL_HINT}) and its encoder
   * after.
   */
  public void requireFingerprint(ModelFingerprint expected) {
    Objects.requireNonNull(expected, "expected");
    if (!expected.equals(manifest.fingerprint())) {
      throw new FingerprintMismatchException(
          "open of collection " + directory, manifest.fingerprint(), expected);
    }
  }

  /** The hint {@code key} of this generation (see {@link GenerationManifest#hints()}). */
  public Optional<String> hint(String key) {
    return manifest.hint(key);
  }

  /**
   * Sets hint {@code key} of this generation to {@code value}, rewriting its manifest atomically;
   * does nothing when it already has that value. Needs a writable handle.
   */
  public void setHint(String key, String value) {
    if (value.equals(manifest.hints().get(key))) return;
    write(
        "record the hint '" + key + "'",
        () -> {
          GenerationManifest next = manifest.withHint(key, value);
          next.write(directory.resolve(next.directoryName()));
          manifest = next;
        });
  }

  /** The collection's directory. */
  public Path directory() {
    return directory;
  }

  /** The name of the generation this instance reads and writes, e.g. {@code gen-000001}. */
  public String generation() {
    return manifest.directoryName();
  }

  /** Whether this is a staged generation that is not live yet. */
  public boolean isStaged() {
    return staged;
  }

  /** Whether this instance was opened read-only. */
  public boolean isReadOnly() {
    return lock == null;
  }

  /**
   * Closes the store and releases the write lock; uncommitted writes are discarded. A second close
   * does nothing.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      try {
        store.close();
      } finally {
        if (lock != null) lock.close();
      }
    } catch (IOException e) {
      throw IoFailures.of("close", directory, e);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "VectorCollection["
        + directory
        + ", "
        + manifest.directoryName()
        + ", "
        + manifest.store()
        + ", "
        + manifest.fingerprint()
        + "]";
  }

  // ---------------------------------------------------------------- internals

  private interface IoAction {
    void run() throws IOException;
  }

  private interface IoCall<T> {
    T call() throws IOException;
  }

  private void write(String what, IoAction action) {
    if (lock == null) {
      throw new TesseraException(
          "Can not " + what + ": the collection in " + directory + " was opened read-only.");
    }
    read(
        what,
        () -> {
          action.run();
          return null;
        });
  }

  private <T> T read(String what, IoCall<T> call) {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      return call.call();
    } catch (IOException e) {
      throw IoFailures.of(what, directory, e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) throw new ClosedException("The collection in " + directory);
  }
}
