package dev.tessera.conformance.broken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.VectorStoreConformance;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kit's concurrency test catches a thread-unsafe store (the plain {@link
 * UnsynchronizedProvider}) in at least 19 of 20 runs with different seeds (issue 16's bar).
 */
class ConcurrencyFaultRateTest {
  static final String RULE = "should_stay_consistent_under_concurrent_writers_and_readers";
  static final int RUNS = 20;
  static final int MUST_CATCH = 19;

  /** The kit against the unsynchronized store, its seed set per run. */
  static final class UnsynchronizedKit extends VectorStoreConformance {
    static volatile long seed;

    @Override
    protected VectorStoreProvider provider() {
      return new UnsynchronizedProvider();
    }

    @Override
    protected long seed() {
      return seed;
    }

    @Override
    protected boolean supportsPersistence() {
      return false;
    }
  }

  @Test
  void should_catch_an_unsynchronized_store_in_at_least_19_of_20_seeded_runs() {
    long base = KitMethodRuns.baseSeed();
    long started = System.nanoTime();
    List<KitMethodRuns.Run> runs =
        KitMethodRuns.run(
            UnsynchronizedKit.class,
            RULE,
            s -> UnsynchronizedKit.seed = s,
            KitMethodRuns.seeds(base, RUNS));
    long caught = runs.stream().filter(KitMethodRuns.Run::failed).count();
    String report =
        KitMethodRuns.report(
            "the concurrency test caught the unsynchronized store", runs, base, started);
    System.out.println(report);
    assertThat(caught).as(report).isGreaterThanOrEqualTo(MUST_CATCH);
    for (KitMethodRuns.Run r : runs) {
      r.failure()
          .ifPresent(
              t ->
                  assertThat(t.getMessage())
                      .as("a failure names the store, the seed and the rule")
                      .startsWith(
                          "[conformance] store=unsynchronized seed=" + r.seed() + " rule=" + RULE));
    }
  }
}
