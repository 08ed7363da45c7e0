package dev.tessera.index.lucene;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.VectorStoreConformance;

/**
 * The whole conformance kit against the {@code lucene} store at its default settings and the kit's
 * 0.95 recall floor.
 */
class LuceneStoreConformanceTest extends VectorStoreConformance {
  @Override
  protected VectorStoreProvider provider() {
    return new LuceneStoreProvider();
  }
}
