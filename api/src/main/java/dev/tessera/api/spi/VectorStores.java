package dev.tessera.api.spi;

import dev.tessera.api.UnknownProviderException;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds {@link VectorStoreProvider}s on the class path by name.
 *
 * <p>System properties: {@code tessera.store} picks the default store; {@code
 * tessera.store.NAME.class} picks the class when several providers share NAME.
 */
public final class VectorStores {
  /** System property naming the default store. */
  public static final String DEFAULT_PROPERTY = "tessera.store";

  private VectorStores() {}

  private static Providers<VectorStoreProvider> loader() {
    return Providers.of(VectorStoreProvider.class, "vector store", VectorStoreProvider::name);
  }

  /** Every store provider on the class path, sorted by class name (found once, then kept). */
  public static List<VectorStoreProvider> providers() {
    return loader().all();
  }

  /** The names of the stores on the class path. */
  public static TreeSet<String> names() {
    return loader().names();
  }

  /**
   * The provider called {@code name}; an unknown name fails with the names available and, for a
   * likely typo, the nearest one.
   */
  public static VectorStoreProvider provider(String name) {
    return loader().byName(name, "tessera.store." + name + ".class");
  }

  /** Looks for store providers again, with {@code classLoader} (for jars added at run time). */
  public static void reload(ClassLoader classLoader) {
    loader().reload(classLoader);
  }

  /**
   * The default store name: {@code -Dtessera.store} if set, else the first present of {@code
   * lucene}, {@code jvector}, {@code memory}, else the first provider found.
   */
  public static String defaultName() {
    String forced = System.getProperty(DEFAULT_PROPERTY);
    if (forced != null && !forced.isBlank()) return forced.trim();
    TreeSet<String> names = names();
    for (String preferred : new String[] {"lucene", "jvector", "memory"}) {
      if (names.contains(preferred)) return preferred;
    }
    if (names.isEmpty()) {
      throw new UnknownProviderException(
          "No vector store is on the class path: add tessera-index-lucene, tessera-index-jvector or"
              + " tessera-conformance (memory).");
    }
    return names.first();
  }
}
