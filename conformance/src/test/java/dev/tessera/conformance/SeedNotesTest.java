package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.store.memory.MemoryStoreProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** The kit is quiet when a test passes and prints the seed and rerun line when one fails. */
class SeedNotesTest {
  /** The memory store held to a recall it can not reach (above 1), so the recall test fails. */
  static final class ImpossibleRecallKit extends VectorStoreConformance {
    @Override
    protected VectorStoreProvider provider() {
      return new MemoryStoreProvider();
    }

    @Override
    protected double minimumRecall() {
      return 1.01;
    }

    @Override
    protected int recallCorpusSize() {
      return 300;
    }

    @Override
    protected int recallQueryCount() {
      return 5;
    }
  }

  record Output(long failures, String out, String err) {}

  /** Runs one kit method with System.out and System.err captured. */
  static Output run(String method) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      LauncherFactory.create()
          .execute(
              LauncherDiscoveryRequestBuilder.request()
                  .selectors(selectMethod(ImpossibleRecallKit.class, method))
                  .build(),
              summary);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Output(
        summary.getSummary().getTotalFailureCount(),
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void should_print_nothing_for_a_passing_test() {
    Output o = run("should_break_score_ties_by_ascending_id");
    assertThat(o.failures()).isZero();
    assertThat(o.out()).doesNotContain("[conformance]");
    assertThat(o.err()).doesNotContain("[conformance]");
  }

  @Test
  void should_print_the_seed_and_the_rerun_line_when_a_test_fails() {
    Output o = run("should_reach_the_minimum_recall_on_mixed_modality_clip_like_vectors");
    assertThat(o.failures()).isEqualTo(1);
    assertThat(o.out()).doesNotContain("[conformance]");
    assertThat(o.err())
        .contains(
            "[conformance] ImpossibleRecallKit.should_reach_the_minimum_recall_on_mixed_modality"
                + "_clip_like_vectors seed="
                + new ImpossibleRecallKit().seed()
                + " (rerun with -Dtessera.conformance.seed="
                + new ImpossibleRecallKit().seed()
                + ")")
        .contains("mixed-modality CLIP-like n=300");
  }
}
