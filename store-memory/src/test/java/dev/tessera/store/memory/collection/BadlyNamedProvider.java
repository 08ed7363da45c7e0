package dev.tessera.store.memory.collection;

import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;

/** A provider whose name breaks the naming rule: the lookup must skip it, naming its class. */
public final class BadlyNamedProvider implements VectorStoreProvider {
  /** For ServiceLoader. */
  public BadlyNamedProvider() {}

  @Override
  public String name() {
    return "Bad Name";
  }

  @Override
  public String description() {
    return "breaks the naming rule on purpose";
  }

  @Override
  public VectorStore create(StoreContext context, ModelFingerprint fingerprint) {
    throw new UnsupportedOperationException();
  }

  @Override
  public VectorStore open(StoreContext context) {
    throw new UnsupportedOperationException();
  }
}
