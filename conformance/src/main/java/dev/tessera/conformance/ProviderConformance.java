package dev.tessera.conformance;

import dev.tessera.api.spi.VectorStoreProvider;
import java.util.Map;

/** The kit bound to whatever provider {@link ConformanceRunner#runProvider} was given. */
final class ProviderConformance extends VectorStoreConformance {
  /** What the runner is checking. */
  record Target(VectorStoreProvider provider, Map<String, String> settings, double minimumRecall) {}

  /** Set by the runner for the duration of one run (runs are serialized). */
  static volatile Target target;

  private Target target() {
    Target t = target;
    if (t == null) {
      throw new IllegalStateException(
          "ProviderConformance runs only through ConformanceRunner.runProvider or runStore.");
    }
    return t;
  }

  @Override
  protected VectorStoreProvider provider() {
    return target().provider();
  }

  @Override
  protected Map<String, String> settings() {
    return target().settings();
  }

  @Override
  protected double minimumRecall() {
    return target().minimumRecall();
  }
}
