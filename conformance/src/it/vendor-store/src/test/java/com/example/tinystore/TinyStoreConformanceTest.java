package com.example.tinystore;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.VectorStoreConformance;

/** The README's recipe, followed literally: one class, one method, the whole kit inherited. */
class TinyStoreConformanceTest extends VectorStoreConformance {
  @Override
  protected VectorStoreProvider provider() {
    return new TinyStoreProvider();
  }
}
