package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner finds a store by name, runs the whole kit and reports every test. */
class ConformanceRunnerTest {

  @Test
  void should_pass_the_memory_store_found_by_name_and_report_every_test() {
    // given
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // when
    ConformanceRunner.Summary summary;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      summary = ConformanceRunner.runStore("memory", Map.of(), out);
    }
    // then
    String report = bytes.toString(StandardCharsets.UTF_8);
    assertThat(summary.successful()).as(report).isTrue();
    assertThat(summary.exitCode()).isZero();
    assertThat(summary.count(ConformanceRunner.Status.FAILED)).isZero();
    assertThat(summary.count(ConformanceRunner.Status.PASSED))
        .as("tests run")
        .isGreaterThanOrEqualTo(30);
    assertThat(report)
        .startsWith("Tessera conformance kit: store 'memory'")
        .contains("  PASS  should_break_score_ties_by_ascending_id\n")
        .contains(
            "  PASS  should_reach_the_minimum_recall_on_clustered_vectors [dim=512, EUCLIDEAN]\n")
        .contains("failed, 0 skipped: the store conforms");
  }

  /** A store that declares it lacks two capabilities. */
  static final class HonestKit extends VectorStoreConformance {
    @Override
    protected dev.tessera.api.spi.VectorStoreProvider provider() {
      return new dev.tessera.store.memory.MemoryStoreProvider();
    }

    @Override
    protected boolean supportsCrashRecoveryTest() {
      return false;
    }

    @Override
    protected boolean supportsReadOnlyOpen() {
      return false;
    }

    @Override
    protected int recallCorpusSize() {
      return 300;
    }
  }

  @Test
  void should_report_a_declared_missing_capability_as_skipped_naming_the_hook() {
    ConformanceRunner.Summary summary = ConformanceRunner.run(HonestKit.class, null);
    assertThat(summary.successful()).isTrue();
    assertThat(summary.count(ConformanceRunner.Status.SKIPPED)).isEqualTo(5);
    assertThat(summary.results())
        .filteredOn(r -> r.status() == ConformanceRunner.Status.SKIPPED)
        .extracting(ConformanceRunner.Result::method, ConformanceRunner.Result::message)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "should_keep_every_committed_record_when_the_writer_process_is_killed",
                "Assumption failed: skipped: the backend declares supportsCrashRecoveryTest() ="
                    + " false"),
            org.assertj.core.groups.Tuple.tuple(
                "should_refuse_a_writer_while_another_process_writes_and_open_after_it_is_killed",
                "Assumption failed: skipped: the backend declares supportsCrashRecoveryTest() ="
                    + " false"),
            org.assertj.core.groups.Tuple.tuple(
                "should_open_read_only_with_everything_committed",
                "Assumption failed: skipped: the backend declares supportsReadOnlyOpen() = false"),
            org.assertj.core.groups.Tuple.tuple(
                "should_change_no_file_and_take_no_write_lock_when_opened_read_only",
                "Assumption failed: skipped: the backend declares supportsReadOnlyOpen() = false"),
            org.assertj.core.groups.Tuple.tuple(
                "should_open_read_only_while_a_writer_commits",
                "Assumption failed: skipped: the backend declares supportsReadOnlyOpen() = false"));
  }
}
