package dev.tessera.api.collection;

import dev.tessera.api.FingerprintMismatchException;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.TesseraException;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.TesseraRuntime;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.api.spi.VectorStores;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates and opens collections on disk: lays out a new one ({@link CollectionLayout}), takes the
 * write lock ({@link CollectionLock}), reads the pointer and manifest once, and opens the store.
 * The public entry points are {@link VectorCollection}'s static methods.
 */
final class CollectionFactory {
  private static final System.Logger LOG = System.getLogger(CollectionFactory.class.getName());

  private CollectionFactory() {}

  static VectorCollection create(
      Path directory,
      VectorStoreProvider provider,
      ModelFingerprint fingerprint,
      Map<String, String> settings,
      Map<String, String> hints) {
    Objects.requireNonNull(fingerprint, "fingerprint");
    checkSettings(provider, settings);
    TesseraRuntime.logOnce();
    Path dir = directory.toAbsolutePath();
    CollectionLock lock = null;
    try {
      if (CollectionLayout.exists(dir)) {
        throw new TesseraException(
            "A collection already exists at " + dir + ": open it, or choose another directory.");
      }
      if (Files.exists(dir) && !CollectionLayout.isEmptyDirectory(dir)) {
        throw new TesseraException(
            "Can not create a collection in "
                + dir
                + ": the directory is not empty and is not a Tessera collection. Choose a new or"
                + " empty directory.");
      }
      Files.createDirectories(dir);
      lock = CollectionLock.acquire(dir);
      if (CollectionLayout.exists(dir)) {
        throw new TesseraException(
            "A collection was created at " + dir + " meanwhile: open it instead.");
      }
      GenerationManifest m =
          new GenerationManifest(
              GenerationManifest.FORMAT,
              1,
              provider.name(),
              fingerprint,
              Instant.now(),
              settings,
              hints);
      VectorStore store = newGeneration(dir, m, provider);
      try {
        CollectionLayout.writePointer(dir, m.directoryName());
      } catch (IOException | RuntimeException e) {
        closeQuietly(store);
        throw e;
      }
      VectorCollection c = new VectorCollection(dir, m, store, lock, false);
      lock = null;
      return c;
    } catch (IOException e) {
      throw IoFailures.of("create a collection", dir, e);
    } finally {
      releaseQuietly(lock);
    }
  }

  /**
   * Opens the live generation. A writable open takes the lock first and then reads {@code CURRENT}
   * and the manifest once, so the generation it opens is the one live while it holds the lock.
   */
  static VectorCollection open(
      Path directory, ModelFingerprint expected, VectorStoreProvider provider, boolean readOnly) {
    TesseraRuntime.logOnce();
    Path dir = directory.toAbsolutePath();
    CollectionLock lock = null;
    try {
      if (!readOnly) {
        // Not a collection: readPointer says why, before a lock file is made in a stranger's
        // folder.
        if (!CollectionLayout.exists(dir)) CollectionLayout.readPointer(dir);
        lock = CollectionLock.acquire(dir);
      }
      String gen = CollectionLayout.readPointer(dir);
      GenerationManifest m = CollectionLayout.readManifest(dir, gen);
      if (expected != null && !expected.equals(m.fingerprint())) {
        throw new FingerprintMismatchException(
            "open of collection " + dir, m.fingerprint(), expected);
      }
      VectorStore store = openStore(dir.resolve(gen), m, provider, readOnly);
      VectorCollection c = new VectorCollection(dir, m, store, lock, false);
      lock = null;
      return c;
    } catch (IOException e) {
      throw IoFailures.of("open the collection", dir, e);
    } finally {
      releaseQuietly(lock);
    }
  }

  /** A staged generation for {@link Generations#stage}: writable, not live, holding the lock. */
  static VectorCollection staged(
      Path dir,
      GenerationManifest m,
      VectorStoreProvider provider,
      boolean resume,
      CollectionLock lock)
      throws IOException {
    VectorStore store =
        resume
            ? openStore(dir.resolve(m.directoryName()), m, provider, false)
            : newGeneration(dir, m, provider);
    return new VectorCollection(dir, m, store, lock, true);
  }

  static void checkSettings(VectorStoreProvider provider, Map<String, String> settings) {
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

  static VectorStore newGeneration(Path dir, GenerationManifest m, VectorStoreProvider provider)
      throws IOException {
    Path genDir = dir.resolve(m.directoryName());
    Path storeDir = CollectionLayout.storeDirectory(genDir);
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
    VectorStore store =
        p.open(new StoreContext(CollectionLayout.storeDirectory(genDir), m.settings(), readOnly));
    ModelFingerprint reported = store.fingerprint();
    if (!m.fingerprint().equals(reported)) {
      closeQuietly(store);
      throw new FingerprintMismatchException(
          "open of the store data in " + genDir, m.fingerprint(), reported);
    }
    return store;
  }

  private static void closeQuietly(VectorStore store) {
    try {
      store.close();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "Ignoring error while closing after a failure", e);
    }
  }

  private static void releaseQuietly(CollectionLock lock) {
    if (lock == null) return;
    try {
      lock.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "Ignoring error while releasing the write lock after a failure", e);
    }
  }
}
