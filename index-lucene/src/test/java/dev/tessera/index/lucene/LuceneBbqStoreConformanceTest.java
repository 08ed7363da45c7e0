package dev.tessera.index.lucene;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.VectorStoreConformance;
import java.util.Map;

/**
 * The whole conformance kit against the {@code lucene} store with binary quantization (BBQ,
 * candidates rescored on the raw floats), at the kit's 0.95 recall floor.
 */
class LuceneBbqStoreConformanceTest extends VectorStoreConformance {
  @Override
  protected VectorStoreProvider provider() {
    return new LuceneStoreProvider();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of(LuceneSettings.QUANTIZATION, "bbq");
  }
}
