package dev.tessera.index.jvector;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.VectorStoreConformance;
import java.util.Map;

/**
 * The whole conformance kit against the {@code jvector} store with product quantization ({@code
 * pq-subspaces=16}): the graph walk scores PQ codes (trained once a store holds 1024 vectors, so
 * the recall corpus walks on them) and every candidate is rescored on the full vector, which the
 * store keeps; so it declares its vectors exact ({@code vectorErrorBound() = 0}) and the kit's
 * recall floor (measured at the CI seed: recall@10 1.0 on every recall test, the walk gathering 300
 * PQ-scored candidates per graph). The kit's reopen, crash and corruption tests use stores under
 * 1024 records, so they never see a trained PQ; {@code JVectorStoreTest} and the {@code v2-pq}
 * format fixture cover PQ codes across a reopen.
 */
class JVectorPqConformanceTest extends VectorStoreConformance {
  @Override
  protected VectorStoreProvider provider() {
    return new JVectorStoreProvider();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of(JVectorSettings.PQ_SUBSPACES, "16");
  }

  /** PQ codes steer only the walk; {@code get} and every score use the stored full vector. */
  @Override
  protected double vectorErrorBound() {
    return 0;
  }

  @Override
  protected double minimumRecall() {
    return 0.95;
  }
}
