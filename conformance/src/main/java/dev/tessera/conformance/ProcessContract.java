package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.TesseraException;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The kit, part: one writer at a time, in this process or another, with readers beside it; a writer
 * killed with kill -9, inside a commit or right after one, leaves exactly the state of some commit
 * and nothing that blocks the next writer.
 */
abstract class ProcessContract extends LifecycleContract {
  ProcessContract() {}

  /** The rule the crash test's failures name. */
  static final String COMMIT_RULE =
      " (VectorStore javadoc, commit: everything written before it is durable when it returns;"
          + " after a crash the store reopens with exactly the state of some commit, a batch is"
          + " never half there)";

  /** The commit each run of the crash test kills the writer in (or right after). */
  private static final int KILLED_COMMIT = 2;

  /**
   * Where each run kills: a fraction of the previous commit's duration after the writer announced
   * commit {@value #KILLED_COMMIT} (0: at once), or, for a negative value, right after that commit
   * returned.
   */
  private static final double[] KILL_POINTS = {0, 1.0 / 3, 2.0 / 3, -1};

  private static final int CRASH_BATCH = 200;

  @Test
  void should_keep_every_committed_record_when_the_writer_process_is_killed() throws Exception {
    assumePersistent("a killed writer's commits are checked after a reopen");
    Assumptions.assumeTrue(
        supportsCrashRecoveryTest(),
        "skipped: the backend declares supportsCrashRecoveryTest() = false");
    long seed = printSeed();
    ModelFingerprint fp = fingerprint(CrashWriter.DIMENSION, Similarity.COSINE, false);
    List<AssertionError> failed = new ArrayList<>();
    for (int run = 0; run < KILL_POINTS.length; run++) {
      try {
        killAndCheck(fp, seed, run);
      } catch (AssertionError e) {
        failed.add(e); // every kill point runs, so a failure says which of them catch the store
      }
    }
    if (failed.isEmpty()) return;
    AssertionError all =
        new AssertionError(
            ctx(seed)
                + failed.size()
                + " of "
                + KILL_POINTS.length
                + " kills failed:\n"
                + String.join(
                    "\n", failed.stream().map(e -> String.valueOf(e.getMessage())).toList()),
            failed.get(0));
    failed.stream().skip(1).forEach(all::addSuppressed);
    throw all;
  }

  /**
   * One run: a writer process writes the seeded commits of {@link CrashSteps} and is killed at
   * {@code KILL_POINTS[run]}; then a writable open must succeed, hold exactly the state after the
   * last commit that returned or the one it was inside, and take writes.
   */
  private void killAndCheck(ModelFingerprint fp, long seed, int run) throws Exception {
    long dataSeed = seed + run;
    double point = KILL_POINTS[run];
    Path dir = tempDir.resolve("s" + run).toAbsolutePath();
    VectorStore created = createStore(dir, fp);
    created.commit();
    created.close();
    List<String> args =
        new ArrayList<>(
            List.of(
                provider().getClass().getName(),
                dir.toString(),
                fp.canonical(),
                Long.toString(dataSeed),
                Integer.toString(CRASH_BATCH),
                "100000"));
    settings().forEach((k, v) -> args.add(k + "=" + v));
    String where;
    int committed;
    int committing;
    try (WriterProcess p =
        WriterProcess.start(
            crashTestJvmArguments(), args, tempDir.resolve("writer" + run + ".stderr"))) {
      String ended = ctx(seed) + "run " + run + ": the writer process ended before ";
      if (!p.awaitLine(CrashWriter.COMMITTING + (KILLED_COMMIT - 1)))
        fail(ended + "announcing commit " + (KILLED_COMMIT - 1) + "; " + p.output());
      long announced = System.nanoTime();
      if (!p.awaitLine(CrashWriter.COMMITTED + (KILLED_COMMIT - 1)))
        fail(ended + "commit " + (KILLED_COMMIT - 1) + " returned; " + p.output());
      long took = System.nanoTime() - announced;
      if (point < 0) {
        if (!p.awaitLine(CrashWriter.COMMITTED + KILLED_COMMIT))
          fail(ended + "commit " + KILLED_COMMIT + " returned; " + p.output());
        where = "right after commit " + KILLED_COMMIT + " returned";
      } else {
        if (!p.awaitLine(CrashWriter.COMMITTING + KILLED_COMMIT))
          fail(ended + "announcing commit " + KILLED_COMMIT + "; " + p.output());
        long delay = (long) (point * took); // aims inside the commit; no timing is asserted
        if (delay > 0) LockSupport.parkNanos(delay);
        where =
            String.format(
                "%d µs after it announced commit %d (%.0f%% of the %d µs commit %d took)",
                delay / 1000, KILLED_COMMIT, point * 100, took / 1000, KILLED_COMMIT - 1);
      }
      p.kill();
      p.drain();
      committed = p.lastCommitted();
      committing = p.lastCommitting();
    }
    String why =
        ctx(seed)
            + "run "
            + run
            + " (data seed "
            + dataSeed
            + "): writer killed "
            + where
            + "; its last lines were 'committing "
            + committing
            + "' and 'committed "
            + committed
            + "'";
    note(why);
    VectorStore reopened;
    try {
      reopened = openStore(dir, false);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(
          why + ": a writable open after the kill failed: " + e + COMMIT_RULE, e);
    }
    assertThat(reopened.fingerprint()).as(why + ": fingerprint").isEqualTo(fp);
    List<Integer> candidates =
        committing > committed ? List.of(committed, committing) : List.of(committed);
    Map<String, Item> actual = new LinkedHashMap<>();
    List<String> twice = new ArrayList<>();
    reopened.forEach(
        it -> {
          if (actual.put(it.id(), it) != null) twice.add(it.id());
        });
    long count = reopened.count();
    List<String> diffs = new ArrayList<>();
    for (int c : candidates) {
      String d = diff(CrashSteps.stateAfter(fp, dataSeed, c, CRASH_BATCH), actual, twice, count);
      if (d.isEmpty()) {
        diffs.clear();
        break;
      }
      diffs.add("against the state after commit " + c + ": " + d);
    }
    if (!diffs.isEmpty())
      fail(why + ": the store holds no commit's state; " + String.join("; ", diffs) + COMMIT_RULE);
    Item more = CrashWriter.batch(fp, dataSeed, 100_000, 1).get(0);
    reopened.upsert(List.of(more));
    reopened.commit();
    assertThat(reopened.count()).as(why + ": the reopened store takes writes").isEqualTo(count + 1);
    reopened.close();
  }

  /** What differs between the expected state and the store's ({@code ""}: nothing). */
  private String diff(
      Map<String, Item> expected, Map<String, Item> actual, List<String> twice, long count) {
    List<String> missing = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (Item e : expected.values()) {
      Item a = actual.get(e.id());
      if (a == null) missing.add(e.id());
      else if (!sameRecord(a, e)) other.add(e.id());
    }
    for (String id : actual.keySet()) if (!expected.containsKey(id)) extra.add(id);
    StringBuilder b = new StringBuilder();
    some(b, missing, "missing");
    some(b, extra, "there but not in that commit");
    some(b, other, "with another version than that commit's");
    some(b, twice, "given twice by forEach");
    if (count != expected.size())
      b.append(b.isEmpty() ? "" : ", ")
          .append("count ")
          .append(count)
          .append(" instead of ")
          .append(expected.size());
    return b.toString();
  }

  private static void some(StringBuilder b, List<String> ids, String what) {
    if (ids.isEmpty()) return;
    if (!b.isEmpty()) b.append(", ");
    b.append(ids.size())
        .append(" records ")
        .append(what)
        .append(" (e.g. ")
        .append(ids.subList(0, Math.min(5, ids.size())))
        .append(')');
  }

  @Test
  void should_refuse_a_second_writer_in_this_process_and_serve_readers_beside_the_writer()
      throws IOException {
    assumePersistent("a second open of a collection is a reopen");
    long seed = printSeed();
    ModelFingerprint fp = fingerprint(CrashWriter.DIMENSION, Similarity.COSINE, false);
    Path dir = tempDir.resolve("c").toAbsolutePath();
    List<Item> batch = CrashWriter.batch(fp, seed, 0, 50);
    try (VectorCollection writer = VectorCollection.create(dir, provider(), fp, settings())) {
      writer.upsert(batch);
      writer.commit();
      // a second writable open in this process is refused by the api's write lock
      assertThatThrownBy(() -> VectorCollection.open(dir, fp, provider(), false))
          .as(ctx(seed) + "a second writable open of a collection open for writing")
          .isInstanceOf(TesseraException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("already open for writing in this process")
          .hasMessageContaining("read-only");
      // and the writer is unharmed by the refused open
      writer.upsert(CrashWriter.batch(fp, seed, 1, 50));
      writer.commit();
      if (supportsReadOnlyOpen()) {
        try (VectorCollection reader = VectorCollection.open(dir, fp, provider(), true)) {
          assertThat(reader.count())
              .as(ctx(seed) + "a read-only open beside the writer sees every commit")
              .isEqualTo(100);
          assertSameRecord(
              reader.get(batch.get(7).id()), batch.get(7), ctx(seed) + "read beside the writer");
        }
      }
      assertThat(writer.count()).as(ctx(seed) + "the writer after the refused open").isEqualTo(100);
    }
    // once the writer is closed, the next writer opens
    try (VectorCollection next = VectorCollection.open(dir, fp, provider(), false)) {
      assertThat(next.count()).as(ctx(seed) + "a writer after the first closed").isEqualTo(100);
    }
  }

  @Test
  void should_refuse_a_writer_while_another_process_writes_and_open_after_it_is_killed()
      throws Exception {
    assumePersistent("a killed writer's commits are checked after a reopen");
    Assumptions.assumeTrue(
        supportsCrashRecoveryTest(),
        "skipped: the backend declares supportsCrashRecoveryTest() = false");
    long seed = printSeed();
    ModelFingerprint fp = fingerprint(CrashWriter.DIMENSION, Similarity.COSINE, false);
    Path dir = tempDir.resolve("c").toAbsolutePath();
    VectorCollection.create(dir, provider(), fp, settings()).close();
    int batches = 3;
    int batchSize = 100;
    List<String> args =
        List.of(
            CrashWriter.COLLECTION,
            provider().getClass().getName(),
            dir.toString(),
            fp.canonical(),
            Long.toString(seed),
            Integer.toString(batchSize),
            Integer.toString(batches));
    try (WriterProcess other =
        WriterProcess.start(crashTestJvmArguments(), args, tempDir.resolve("writer.stderr"))) {
      if (!other.awaitLine(CrashWriter.HOLDING)) {
        fail(ctx(seed) + "the other writer process did not open the collection; " + other.output());
      }
      // the collection is open for writing in the other process: a writer here is refused
      assertThatThrownBy(() -> VectorCollection.open(dir, fp, provider(), false))
          .as(ctx(seed) + "a writable open while another process holds the collection")
          .isInstanceOf(TesseraException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("already open for writing by another process")
          .hasMessageContaining("read-only");
      // while a read-only open works beside it and sees what it committed
      if (supportsReadOnlyOpen()) {
        try (VectorCollection reader = VectorCollection.open(dir, fp, provider(), true)) {
          assertThat(reader.count())
              .as(ctx(seed) + "a read-only open beside another process's writer")
              .isEqualTo((long) batches * batchSize);
          Item probe = CrashWriter.batch(fp, seed, 1, batchSize).get(11);
          assertSameRecord(reader.get(probe.id()), probe, ctx(seed) + "read beside the writer");
        }
      }
      // kill -9: the writer closes nothing
      other.kill();
    }
    // the lock dies with the process: the next writable open succeeds and has every commit
    try (VectorCollection next = VectorCollection.open(dir, fp, provider(), false)) {
      String why = ctx(seed) + "a writable open after the writer process was killed";
      assertThat(next.count()).as(why + ": count").isEqualTo((long) batches * batchSize);
      for (int b = 0; b < batches; b++) {
        for (Item it : CrashWriter.batch(fp, seed, b, batchSize)) {
          assertSameRecord(next.get(it.id()), it, why + ", batch " + b);
        }
      }
      next.upsert(CrashWriter.batch(fp, seed, batches, batchSize));
      next.commit();
      assertThat(next.count())
          .as(why + ": and it writes")
          .isEqualTo((long) (batches + 1) * batchSize);
    }
  }
}
