package dev.tessera.index.jvector;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.VectorStoreConformance;

/**
 * The whole conformance kit against the {@code jvector} store at its default settings and the kit's
 * 0.95 recall floor.
 */
class JVectorStoreConformanceTest extends VectorStoreConformance {
  @Override
  protected VectorStoreProvider provider() {
    return new JVectorStoreProvider();
  }
}
