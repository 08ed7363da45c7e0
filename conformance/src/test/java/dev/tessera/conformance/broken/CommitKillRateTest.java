package dev.tessera.conformance.broken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.VectorStoreConformance;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kit's crash test kills the writer inside {@code commit()} and catches a store whose commit is
 * not atomic (the {@link FilePerRecordProvider}) in every seeded run. {@code
 * -Dtessera.conformance.killRuns=N} measures over more runs (default 5: each run starts four writer
 * JVMs).
 */
class CommitKillRateTest {
  static final String RULE = "should_keep_every_committed_record_when_the_writer_process_is_killed";

  /** The kit against the file-per-record store, its seed set per run. */
  static final class FilePerRecordKit extends VectorStoreConformance {
    static volatile long seed;

    @Override
    protected VectorStoreProvider provider() {
      return new FilePerRecordProvider();
    }

    @Override
    protected long seed() {
      return seed;
    }
  }

  @Test
  void should_catch_a_commit_that_writes_one_file_at_a_time_in_every_seeded_run() {
    int runs = Integer.getInteger("tessera.conformance.killRuns", 5);
    long base = KitMethodRuns.baseSeed();
    long started = System.nanoTime();
    List<KitMethodRuns.Run> results =
        KitMethodRuns.run(
            FilePerRecordKit.class,
            RULE,
            s -> FilePerRecordKit.seed = s,
            KitMethodRuns.seeds(base, runs));
    long caught = results.stream().filter(KitMethodRuns.Run::failed).count();
    String report =
        KitMethodRuns.report(
            "the crash test caught the file-per-record store", results, base, started);
    System.out.println(report);
    assertThat(results).as(report).noneMatch(KitMethodRuns.Run::skipped);
    assertThat(caught).as(report).isEqualTo(runs);
    for (KitMethodRuns.Run r : results) {
      assertThat(r.failure().orElseThrow().getMessage())
          .as("a failure names the store, the seed and the rule")
          .startsWith("[conformance] store=file-per-record seed=" + r.seed() + " rule=" + RULE)
          .contains("VectorStore javadoc, commit");
    }
  }
}
