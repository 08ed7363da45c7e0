package dev.tessera.store.memory;

import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.IOException;

/**
 * The {@code memory} store: exact brute-force search in memory, persisted as one snapshot file per
 * commit.
 */
public final class MemoryStoreProvider implements VectorStoreProvider {
  /** The provider's name. */
  public static final String NAME = "memory";

  /** For ServiceLoader. */
  public MemoryStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "exact brute-force search in memory, snapshot to disk on commit (the reference oracle)";
  }

  @Override
  public VectorStore create(StoreContext context, ModelFingerprint fingerprint) throws IOException {
    return MemoryStore.create(context.directory(), fingerprint);
  }

  @Override
  public VectorStore open(StoreContext context) throws IOException {
    return MemoryStore.open(context.directory(), context.readOnly());
  }
}
