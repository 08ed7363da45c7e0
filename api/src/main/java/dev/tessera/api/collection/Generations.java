package dev.tessera.api.collection;

import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.TesseraException;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The generations of a collection: list them, stage a new one (to switch models, see {@link
 * Reindexer}), and drop old ones. A staged generation is published with {@link
 * VectorCollection#publish()}.
 */
public final class Generations {
  private static final System.Logger LOG = System.getLogger(Generations.class.getName());

  private Generations() {}

  /**
   * Description of one generation directory.
   *
   * @param name the directory name, e.g. {@code gen-000002}
   * @param number the generation number
   * @param current whether {@code CURRENT} names it
   * @param manifest its manifest, or null when it could not be read
   * @param problem why the manifest could not be read, or null
   */
  public record Info(
      String name, int number, boolean current, GenerationManifest manifest, String problem) {}

  /**
   * Every generation in {@code directory}, oldest first; an unreadable one carries its problem
   * instead of a manifest.
   */
  public static List<Info> list(Path directory) {
    Path dir = directory.toAbsolutePath();
    try {
      String current = CollectionLayout.readPointer(dir);
      List<Info> out = new ArrayList<>();
      for (String n : CollectionLayout.generationNames(dir)) {
        GenerationManifest m = null;
        String problem = null;
        try {
          m = CollectionLayout.readManifest(dir, n);
        } catch (IOException | TesseraException e) {
          problem = e.getMessage();
        }
        out.add(new Info(n, CollectionLayout.generationNumber(n), n.equals(current), m, problem));
      }
      return out;
    } catch (IOException e) {
      throw IoFailures.of("list the generations", dir, e);
    }
  }

  /**
   * Starts (or resumes) a new generation of the collection in {@code directory} for another model,
   * typically to re-embed every record with it. The returned collection is writable, holds the
   * collection's write lock, and is not yet live: the current generation keeps serving readers
   * until {@link VectorCollection#publish()}. If an unpublished generation with the same store,
   * fingerprint and settings exists it is resumed with what it committed; unpublished generations
   * for anything else are abandoned and removed.
   */
  public static VectorCollection stage(
      Path directory,
      VectorStoreProvider provider,
      ModelFingerprint fingerprint,
      Map<String, String> settings) {
    CollectionFactory.checkSettings(provider, settings);
    Path dir = directory.toAbsolutePath();
    CollectionLock lock = null;
    try {
      String current = CollectionLayout.readPointer(dir);
      lock = CollectionLock.acquire(dir);
      current = CollectionLayout.readPointer(dir);
      int currentNo = CollectionLayout.generationNumber(current);
      for (String name : CollectionLayout.generationNames(dir)) {
        int number = CollectionLayout.generationNumber(name);
        if (number <= currentNo) continue;
        GenerationManifest m = null;
        try {
          m = CollectionLayout.readManifest(dir, name);
        } catch (IOException | TesseraException e) {
          LOG.log(
              Level.INFO, "Unpublished generation " + name + " is unreadable: " + e.getMessage());
        }
        if (m != null
            && m.store().equals(provider.name())
            && m.fingerprint().equals(fingerprint)
            && m.settings().equals(new TreeMap<>(settings))) {
          LOG.log(Level.INFO, "Resuming unpublished generation " + name + " of " + dir);
          VectorCollection c = CollectionFactory.staged(dir, m, provider, true, lock);
          lock = null;
          return c;
        }
        LOG.log(Level.INFO, "Removing abandoned unpublished generation " + name + " of " + dir);
        CollectionLayout.deleteRecursively(dir.resolve(name));
      }
      GenerationManifest m =
          new GenerationManifest(
              GenerationManifest.FORMAT,
              currentNo + 1,
              provider.name(),
              fingerprint,
              Instant.now(),
              settings);
      VectorCollection c = CollectionFactory.staged(dir, m, provider, false, lock);
      lock = null;
      return c;
    } catch (IOException e) {
      throw IoFailures.of("stage a new generation", dir, e);
    } finally {
      if (lock != null) {
        try {
          lock.close();
        } catch (IOException e) {
          LOG.log(Level.DEBUG, "Ignoring error while releasing the write lock", e);
        }
      }
    }
  }

  /**
   * Deletes a generation that is not live; readers still using it must have closed it. Takes the
   * write lock for the time of the deletion.
   */
  public static void drop(Path directory, String generation) {
    Path dir = directory.toAbsolutePath();
    if (!CollectionLayout.isGenerationName(generation)) {
      throw new IllegalArgumentException("Not a generation name: '" + generation + "'.");
    }
    try {
      CollectionLock lock = CollectionLock.acquire(dir);
      try {
        if (CollectionLayout.readPointer(dir).equals(generation)) {
          throw new TesseraException(
              generation + " is the live generation of " + dir + " and can not be dropped.");
        }
        CollectionLayout.deleteRecursively(dir.resolve(generation));
      } finally {
        lock.close();
      }
    } catch (IOException e) {
      throw IoFailures.of("drop " + generation, dir, e);
    }
  }
}
