package dev.tessera.index.jvector;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.VectorStoreConformance;
import java.util.Map;

/**
 * The conformance kit again with {@code exact-search-below=0}, so every search and every filter,
 * however selective, goes through the graph walk with accept-ords (and its exact fallback).
 */
class JVectorGraphOnlyConformanceTest extends VectorStoreConformance {
  @Override
  protected VectorStoreProvider provider() {
    return new JVectorStoreProvider();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of(JVectorSettings.EXACT_SEARCH_BELOW, "0");
  }
}
