package dev.tessera.index.lucene;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.VectorStoreConformance;
import java.util.Map;

/**
 * The whole conformance kit against the {@code lucene} store with int8 scalar quantization, at the
 * kit's 0.95 recall floor.
 */
class LuceneInt8StoreConformanceTest extends VectorStoreConformance {
  @Override
  protected VectorStoreProvider provider() {
    return new LuceneStoreProvider();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of(LuceneSettings.QUANTIZATION, "int8");
  }
}
