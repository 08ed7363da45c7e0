package dev.tessera.api.collection;

import dev.tessera.api.ClosedException;
import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Embedding;
import dev.tessera.api.FingerprintMismatchException;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Query;
import dev.tessera.api.TesseraException;
import dev.tessera.api.VectorValidator;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.api.spi.VectorStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A persistent collection of text and image embeddings of ONE model, searchable by text or image.
 * This is the gate of the fingerprint contract: every write, query and open is checked here, so no
 * backend can skip it.
 *
 * <p>On disk a collection is a directory:
 *
 * <pre>
 * photos.tessera/
 *   CURRENT                 names the live generation (checksummed, replaced by atomic rename)
 *   gen-000001/MANIFEST     format, store, fingerprint, created, settings (checksummed)
 *   gen-000001/store/       the backend's files
 * </pre>
 *
 * Switching models builds a new generation with {@link #stage} and switches {@code CURRENT} to it
 * with {@link #publish()}; collections opened before the switch keep reading their generation, and
 * old generations stay until {@link #dropGeneration} removes them.
 *
 * <p>Writes are visible to this instance's reads at once and durable after {@link #commit()}; a
 * batch passed to {@link #upsert(List)} is validated whole before anything is written, and ids that
 * appear twice in one batch keep the last record. Thread-safe. Errors from the file system are
 * thrown as {@link UncheckedIOException} naming the collection.
 */
public final class VectorCollection implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(VectorCollection.class.getName());
  private static final String POINTER = "CURRENT";
  private static final String POINTER_KIND = "tessera-collection";
  private static final String STORE_DIR = "store";

  private final Path directory;
  private final GenerationManifest manifest;
  private final VectorStore store;
  private final boolean readOnly;
  private volatile boolean staged;
  private volatile boolean closed;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

  private VectorCollection(
      Path directory,
      GenerationManifest manifest,
      VectorStore store,
      boolean readOnly,
      boolean staged) {
    this.directory = directory;
    this.manifest = manifest;
    this.store = store;
    this.readOnly = readOnly;
    this.staged = staged;
  }

  // ---------------------------------------------------------------- opening and creating

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
    Objects.requireNonNull(fingerprint, "fingerprint");
    checkSettings(provider, settings);
    Path dir = directory.toAbsolutePath();
    try {
      if (Files.exists(dir.resolve(POINTER))) {
        throw new TesseraException(
            "A collection already exists at " + dir + ": open it, or choose another directory.");
      }
      if (Files.exists(dir) && !isEmptyDirectory(dir)) {
        throw new TesseraException(
            "Can not create a collection in "
                + dir
                + ": the directory is not empty and is not a Tessera collection. Choose a new or"
                + " empty directory.");
      }
      Files.createDirectories(dir);
      GenerationManifest m =
          new GenerationManifest(
              GenerationManifest.FORMAT, 1, provider.name(), fingerprint, Instant.now(), settings);
      VectorStore store = newGeneration(dir, m, provider);
      try {
        writePointer(dir, m.directoryName());
      } catch (IOException | RuntimeException e) {
        closeQuietly(store);
        throw e;
      }
      return new VectorCollection(dir, m, store, false, false);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not create a collection in " + dir + ": " + e.getMessage(), e);
    }
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

  /** Opens for reading only: no write lock is taken, so another process may be writing. */
  public static VectorCollection openReadOnly(Path directory, ModelFingerprint expected) {
    return open(directory, expected, null, true);
  }

  /**
   * Opens the collection; {@code expected} may be null (no check), {@code provider} may be null
   * (the store named by the manifest is found with ServiceLoader) or a provider whose name matches
   * it.
   */
  public static VectorCollection open(
      Path directory, ModelFingerprint expected, VectorStoreProvider provider, boolean readOnly) {
    Path dir = directory.toAbsolutePath();
    try {
      String gen = readPointer(dir);
      GenerationManifest m = GenerationManifest.read(dir.resolve(gen));
      if (expected != null && !expected.equals(m.fingerprint())) {
        throw new FingerprintMismatchException(
            "open of collection " + dir, m.fingerprint(), expected);
      }
      VectorStore store = openStore(dir.resolve(gen), m, provider, readOnly);
      return new VectorCollection(dir, m, store, readOnly, false);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not open the collection in " + dir + ": " + e.getMessage(), e);
    }
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
    return Files.isRegularFile(directory.resolve(POINTER));
  }

  // ---------------------------------------------------------------- generations

  /**
   * Starts (or resumes) a new generation of the collection in {@code directory} for another model,
   * typically to re-embed every record with it. The returned collection is writable and not yet
   * live: the current generation keeps serving until {@link #publish()}. If an unpublished
   * generation with the same store, fingerprint and settings exists it is resumed with what it
   * committed; unpublished generations for anything else are abandoned and removed.
   */
  public static VectorCollection stage(
      Path directory,
      VectorStoreProvider provider,
      ModelFingerprint fingerprint,
      Map<String, String> settings) {
    checkSettings(provider, settings);
    Path dir = directory.toAbsolutePath();
    try {
      String current = readPointer(dir);
      int currentNo = generationNumber(current);
      int next = currentNo + 1;
      for (GenerationInfo g : generations(dir)) {
        if (g.number() <= currentNo) continue;
        GenerationManifest m = g.manifest();
        if (m != null
            && m.store().equals(provider.name())
            && m.fingerprint().equals(fingerprint)
            && m.settings().equals(new java.util.TreeMap<>(settings))) {
          LOG.log(Level.INFO, "Resuming unpublished generation " + g.name() + " of " + dir);
          return new VectorCollection(
              dir, m, openStore(dir.resolve(g.name()), m, provider, false), false, true);
        }
        LOG.log(Level.INFO, "Removing abandoned unpublished generation " + g.name() + " of " + dir);
        deleteRecursively(dir.resolve(g.name()));
      }
      GenerationManifest m =
          new GenerationManifest(
              GenerationManifest.FORMAT,
              next,
              provider.name(),
              fingerprint,
              Instant.now(),
              settings);
      return new VectorCollection(dir, m, newGeneration(dir, m, provider), false, true);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not stage a new generation in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes this staged generation the live one: commits it, then switches {@code CURRENT} to it with
   * an atomic rename. Verify the generation (count, spot queries) before calling this.
   */
  public void publish() {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      if (!staged)
        throw new TesseraException(
            "Generation " + manifest.directoryName() + " of " + directory + " is already live.");
      store.commit();
      String current = readPointer(directory);
      if (generationNumber(current) >= manifest.generation()) {
        throw new TesseraException(
            "Generation "
                + current
                + " of "
                + directory
                + " was published meanwhile; "
                + manifest.directoryName()
                + " is older and is not published.");
      }
      writePointer(directory, manifest.directoryName());
      staged = false;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not publish "
              + manifest.directoryName()
              + " of "
              + directory
              + ": "
              + e.getMessage(),
          e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Description of one generation directory. */
  public record GenerationInfo(
      String name, int number, boolean current, GenerationManifest manifest, String problem) {}

  /**
   * Every generation in {@code directory}, oldest first; an unreadable one carries its problem
   * instead of a manifest.
   */
  public static List<GenerationInfo> generations(Path directory) {
    Path dir = directory.toAbsolutePath();
    try {
      String current = readPointer(dir);
      TreeSet<String> names = new TreeSet<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "gen-*")) {
        for (Path p : ds) {
          if (Files.isDirectory(p) && p.getFileName().toString().matches("gen-\\d{6,}"))
            names.add(p.getFileName().toString());
        }
      }
      List<GenerationInfo> out = new ArrayList<>();
      for (String n : names) {
        GenerationManifest m = null;
        String problem = null;
        try {
          m = GenerationManifest.read(dir.resolve(n));
        } catch (IOException | TesseraException e) {
          problem = e.getMessage();
        }
        out.add(new GenerationInfo(n, generationNumber(n), n.equals(current), m, problem));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not list the generations of " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a generation that is not live; readers still using it must have closed it. */
  public static void dropGeneration(Path directory, String generation) {
    Path dir = directory.toAbsolutePath();
    try {
      if (!generation.matches("gen-\\d{6,}"))
        throw new IllegalArgumentException("Not a generation name: '" + generation + "'.");
      if (readPointer(dir).equals(generation)) {
        throw new TesseraException(
            generation + " is the live generation of " + dir + " and can not be dropped.");
      }
      deleteRecursively(dir.resolve(generation));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not drop " + generation + " of " + dir + ": " + e.getMessage(), e);
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
  }

  /** Deletes records by id; ids that are not there are ignored. */
  public void delete(String... ids) {
    delete(List.of(ids));
  }

  /** Deletes records by id; ids that are not there are ignored. */
  public void delete(List<String> ids) {
    for (String id : ids) Item.checkId(id);
    if (ids.isEmpty()) return;
    List<String> copy = List.copyOf(new java.util.LinkedHashSet<>(ids));
    write("delete " + copy.size() + " records", () -> store.delete(copy));
  }

  /** Makes every write so far durable; returns when it is on disk. */
  public void commit() {
    write("commit", store::commit);
  }

  // ---------------------------------------------------------------- reads

  /** The {@code k} records nearest to {@code query}, of any modality. */
  public List<Hit> search(Embedding query, int k) {
    return search(Query.of(query).k(k));
  }

  /** The records nearest to the query, best first, filtered as the query says. */
  public List<Hit> search(Query query) {
    VectorValidator.check(manifest.fingerprint(), query.embedding(), "query");
    float[] v = query.embedding().vector();
    return read("search", () -> store.search(v, query.k(), query.filter()));
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

  /** Records per modality (a full scan). */
  public Map<Modality, Long> countByModality() {
    EnumMap<Modality, Long> counts = new EnumMap<>(Modality.class);
    for (Modality m : Modality.values()) counts.put(m, 0L);
    forEach(item -> counts.merge(item.modality(), 1L, Long::sum));
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

  // ---------------------------------------------------------------- description

  /** The model fingerprint every vector here must have. */
  public ModelFingerprint fingerprint() {
    return manifest.fingerprint();
  }

  /** This generation's manifest: store, fingerprint, creation time, settings. */
  public GenerationManifest manifest() {
    return manifest;
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
    return readOnly;
  }

  /** Closes the store; uncommitted writes are discarded. A second close does nothing. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      store.close();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not close the collection in " + directory + ": " + e.getMessage(), e);
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
    if (readOnly) {
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
      throw new UncheckedIOException(
          "Could not " + what + " in the collection " + directory + ": " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) throw new ClosedException("The collection in " + directory);
  }

  private static void checkSettings(VectorStoreProvider provider, Map<String, String> settings) {
    Set<String> known = provider.settingNames();
    for (String key : settings.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            "The '"
                + provider.name()
                + "' store has no setting '"
                + key
                + "'. Known settings: "
                + (known.isEmpty() ? "none" : new TreeSet<>(known))
                + ".");
      }
    }
  }

  private static VectorStore newGeneration(
      Path dir, GenerationManifest m, VectorStoreProvider provider) throws IOException {
    Path genDir = dir.resolve(m.directoryName());
    Path storeDir = genDir.resolve(STORE_DIR);
    Files.createDirectories(storeDir);
    VectorStore store =
        provider.create(new StoreContext(storeDir, m.settings(), false), m.fingerprint());
    try {
      store.commit();
      m.write(genDir);
    } catch (IOException | RuntimeException e) {
      closeQuietly(store);
      throw e;
    }
    return store;
  }

  private static VectorStore openStore(
      Path genDir, GenerationManifest m, VectorStoreProvider provider, boolean readOnly)
      throws IOException {
    VectorStoreProvider p = provider != null ? provider : VectorStores.provider(m.store());
    if (!p.name().equals(m.store())) {
      throw new TesseraException(
          "The collection generation "
              + genDir
              + " was made by the '"
              + m.store()
              + "' store, not '"
              + p.name()
              + "'.");
    }
    VectorStore store = p.open(new StoreContext(genDir.resolve(STORE_DIR), m.settings(), readOnly));
    ModelFingerprint reported = store.fingerprint();
    if (!m.fingerprint().equals(reported)) {
      closeQuietly(store);
      throw new FingerprintMismatchException(
          "open of the store data in " + genDir, m.fingerprint(), reported);
    }
    return store;
  }

  private static String readPointer(Path dir) throws IOException {
    Path pointer = dir.resolve(POINTER);
    if (!Files.exists(pointer)) {
      if (!Files.exists(dir)) {
        throw new TesseraException(
            "No collection at "
                + dir
                + ": create it first (e.g. tessera index DIR --collection "
                + dir
                + ").");
      }
      throw new TesseraException(
          dir
              + " is not a Tessera collection (it has no "
              + POINTER
              + " file). "
              + "If a create was interrupted, delete the directory and create it again.");
    }
    Map<String, String> e;
    try {
      e = ChecksummedFile.read(pointer, POINTER_KIND);
    } catch (NoSuchFileException ex) {
      throw new TesseraException("No collection at " + dir + ".");
    }
    String format = e.get("format");
    if (!"1".equals(format)) {
      throw new CorruptCollectionException(
          pointer + " has format " + format + "; this Tessera reads format 1.");
    }
    String gen = e.get("generation");
    if (gen == null || !gen.matches("gen-\\d{6,}")) {
      throw new CorruptCollectionException(pointer + " names no valid generation: '" + gen + "'.");
    }
    if (!Files.isDirectory(dir.resolve(gen))) {
      throw new CorruptCollectionException(
          pointer + " names " + gen + ", which is missing from " + dir + ".");
    }
    return gen;
  }

  private static void writePointer(Path dir, String generation) throws IOException {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("kind", POINTER_KIND);
    e.put("format", "1");
    e.put("generation", generation);
    ChecksummedFile.write(
        dir.resolve(POINTER),
        "Tessera collection: the live generation. Replaced atomically; do not edit.",
        e);
  }

  private static int generationNumber(String name) {
    return Integer.parseInt(name.substring(4));
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return false;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      return !ds.iterator().hasNext();
    }
  }

  private static void closeQuietly(VectorStore store) {
    try {
      store.close();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "Ignoring error while closing after a failure", e);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) return;
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
            if (exc != null) throw exc;
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
