package dev.tessera.api.spi;

import dev.tessera.api.ModelFingerprint;
import java.io.IOException;
import java.util.Set;

/**
 * Creates and opens {@link VectorStore}s of one kind. Found with {@link java.util.ServiceLoader}:
 * declare the class in {@code META-INF/services/dev.tessera.api.spi.VectorStoreProvider} and in
 * {@code module-info} ({@code provides}). Needs a public no-argument constructor.
 */
public interface VectorStoreProvider {
  /** The short name users choose the store by, e.g. {@code lucene}; lower case, no spaces. */
  String name();

  /** One line saying what the store is, for listings. */
  String description();

  /** The setting keys this store understands; any other key is refused before a store is made. */
  default Set<String> settingNames() {
    return Set.of();
  }

  /**
   * Creates an empty store in {@code context.directory()} (which exists and is empty) for vectors
   * of {@code fingerprint}, and persists the fingerprint so {@link VectorStore#fingerprint()}
   * reports it after any reopen.
   */
  VectorStore create(StoreContext context, ModelFingerprint fingerprint) throws IOException;

  /**
   * Opens a store that {@link #create} made in {@code context.directory()}, with everything
   * committed.
   */
  VectorStore open(StoreContext context) throws IOException;
}
