package dev.tessera.conformance.broken;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.tessera.conformance.VectorStoreConformance;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs one kit test of a kit class many times, once per seed, and counts the runs that fail: how
 * the kit's own tests measure how reliably a timing-dependent kit test catches a broken backend.
 */
final class KitMethodRuns {
  private KitMethodRuns() {}

  /** What one run of the kit test gave: its seed and its failure, if it failed. */
  record Run(long seed, Optional<Throwable> failure, boolean skipped) {
    boolean failed() {
      return failure.isPresent();
    }
  }

  /** Where the seed of the next run is read by the kit class under test. */
  interface SeedSlot {
    void set(long seed);
  }

  /**
   * Runs {@code method} of {@code kit} once for each seed, the kit's {@code seed()} reading it from
   * {@code slot}.
   */
  static List<Run> run(
      Class<? extends VectorStoreConformance> kit, String method, SeedSlot slot, long... seeds) {
    List<Run> runs = new ArrayList<>();
    for (long seed : seeds) {
      slot.set(seed);
      LauncherDiscoveryRequest request =
          LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(kit, method)).build();
      Throwable[] failure = {null};
      boolean[] ran = {false};
      LauncherFactory.create()
          .execute(
              request,
              new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                  if (!id.isTest()) {
                    if (result.getStatus() == TestExecutionResult.Status.FAILED)
                      failure[0] = result.getThrowable().orElseThrow();
                    return;
                  }
                  ran[0] = result.getStatus() != TestExecutionResult.Status.ABORTED;
                  if (result.getStatus() == TestExecutionResult.Status.FAILED)
                    failure[0] = result.getThrowable().orElseThrow();
                }
              });
      runs.add(new Run(seed, Optional.ofNullable(failure[0]), !ran[0] && failure[0] == null));
    }
    return runs;
  }

  /** Seeds {@code base}, {@code base + 1}, … : twenty different runs that a base seed repeats. */
  static long[] seeds(long base, int n) {
    long[] s = new long[n];
    for (int i = 0; i < n; i++) s[i] = base + i;
    return s;
  }

  /** The base of a rate test's seeds: the pinned kit seed when there is one, else drawn. */
  static long baseSeed() {
    Long pinned = Long.getLong("tessera.conformance.seed");
    return pinned != null ? pinned : new SecureRandom().nextLong() & (Long.MAX_VALUE >> 1);
  }

  /**
   * A rate test's report: how many of the runs {@code what} caught, their seeds from {@code base},
   * the time since {@code startedNanos}, and one line per run.
   */
  static String report(String what, List<Run> runs, long base, long startedNanos) {
    long caught = runs.stream().filter(Run::failed).count();
    return String.format(
        "%s in %d of %d runs (seeds %d..%d, %d ms):%n%s",
        what,
        caught,
        runs.size(),
        base,
        base + runs.size() - 1,
        (System.nanoTime() - startedNanos) / 1_000_000,
        describe(runs));
  }

  /** One line per run, for a report: seed, caught or not, the first line of the failure. */
  static String describe(List<Run> runs) {
    StringBuilder b = new StringBuilder();
    for (Run r : runs) {
      b.append("  seed=").append(r.seed()).append(r.failed() ? " caught: " : " missed");
      r.failure()
          .ifPresent(
              t -> {
                // the first line is the rerun line; then the kit's own message, line by line
                String[] lines = String.valueOf(t.getMessage()).split("\n");
                for (int i = Math.min(1, lines.length - 1); i < lines.length; i++) {
                  String l = lines[i];
                  b.append(i > 1 ? "\n      " : "").append(l, 0, Math.min(l.length(), 240));
                }
              });
      b.append('\n');
    }
    return b.toString();
  }
}
