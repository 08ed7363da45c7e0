package dev.tessera.conformance;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.store.memory.MemoryStoreProvider;

/** The exact {@code memory} store passes the whole kit. */
class MemoryStoreConformanceTest extends VectorStoreConformance {
  @Override
  protected VectorStoreProvider provider() {
    return new MemoryStoreProvider();
  }

  @Override
  protected double minimumRecall() {
    return 1.0; // exact search: anything less is a bug in the oracle
  }
}
