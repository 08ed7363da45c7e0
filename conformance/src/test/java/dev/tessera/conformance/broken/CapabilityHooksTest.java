package dev.tessera.conformance.broken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.ConformanceRunner;
import dev.tessera.conformance.ConformanceRunner.Status;
import dev.tessera.conformance.VectorStoreConformance;
import org.junit.jupiter.api.Test;

/**
 * The capability hooks: a store that declares its vector error bound, or that it keeps nothing,
 * passes by those declarations, and one that exceeds its declared bound fails.
 */
class CapabilityHooksTest {
  /** Small sizes, as in {@link BrokenBackendsTest}. */
  abstract static class Small extends VectorStoreConformance {
    @Override
    protected int recallCorpusSize() {
      return 400;
    }

    @Override
    protected int recallQueryCount() {
      return 20;
    }

    @Override
    protected int concurrentOperations() {
      return 80;
    }
  }

  /** An honest float16 store: its bound and a recall floor below exact. */
  static final class Float16Kit extends Small {
    @Override
    protected VectorStoreProvider provider() {
      return new QuantizingProviders.Float16();
    }

    @Override
    protected double vectorErrorBound() {
      return QuantizingProviders.FLOAT16_BOUND;
    }

    @Override
    protected double minimumRecall() {
      return 0.9;
    }
  }

  /** A bfloat16 store that declares float16's bound. */
  static final class OverBoundKit extends Small {
    @Override
    protected VectorStoreProvider provider() {
      return new QuantizingProviders.BFloat16ClaimingFloat16();
    }

    @Override
    protected double vectorErrorBound() {
      return QuantizingProviders.FLOAT16_BOUND;
    }
  }

  /** A store that keeps nothing, and says so. */
  static final class NotPersistentKit extends Small {
    @Override
    protected VectorStoreProvider provider() {
      return new QuantizingProviders.NotPersistent();
    }

    @Override
    protected boolean supportsPersistence() {
      return false;
    }
  }

  @Test
  void should_pass_a_float16_store_that_declares_its_bound() {
    ConformanceRunner.Summary s = ConformanceRunner.run(Float16Kit.class, null);
    assertThat(s.failedMethods()).as(s.report()).isEmpty();
    assertThat(s.count(Status.SKIPPED)).as(s.report()).isZero();
    assertThat(s.successful()).isTrue();
  }

  @Test
  void should_fail_a_store_whose_vectors_exceed_its_declared_bound() {
    ConformanceRunner.Summary s = ConformanceRunner.run(OverBoundKit.class, null);
    assertThat(s.successful()).as(s.report()).isFalse();
    assertThat(s.failedMethods())
        .as(s.report())
        .contains(
            "should_return_an_upserted_record_whole_by_get",
            "should_keep_everything_committed_across_close_and_reopen");
    assertThat(s.report()).contains("relative L2 error (the declared vectorErrorBound())");
  }

  @Test
  void should_pass_a_store_that_declares_it_keeps_nothing_with_named_skips() {
    ConformanceRunner.Summary s = ConformanceRunner.run(NotPersistentKit.class, null);
    assertThat(s.failedMethods()).as(s.report()).isEmpty();
    assertThat(s.successful()).isTrue();
    assertThat(s.results())
        .filteredOn(r -> r.status() == Status.SKIPPED)
        .as(s.report())
        .allSatisfy(
            r ->
                assertThat(r.message())
                    .contains("the backend declares supportsPersistence() = false"))
        .extracting(ConformanceRunner.Result::method)
        .contains(
            "should_keep_everything_committed_across_close_and_reopen",
            "should_report_its_fingerprint_after_reopen",
            "should_keep_every_committed_record_when_the_writer_process_is_killed",
            "should_change_no_file_and_take_no_write_lock_when_opened_read_only");
    // what needs no reopen still runs
    assertThat(s.results())
        .filteredOn(r -> r.method().equals("should_find_every_record_by_its_own_vector"))
        .extracting(ConformanceRunner.Result::status)
        .containsOnly(Status.PASSED);
  }
}
