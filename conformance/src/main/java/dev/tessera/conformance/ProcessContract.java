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
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The kit, part: one writer at a time, in this process or another, with readers beside it; a writer
 * killed with kill -9 loses no committed record and leaves nothing that blocks the next.
 */
abstract class ProcessContract extends LifecycleContract {
  ProcessContract() {}

  @Test
  void should_keep_every_committed_record_when_the_writer_process_is_killed() throws Exception {
    assumePersistent("a killed writer's commits are checked after a reopen");
    Assumptions.assumeTrue(
        supportsCrashRecoveryTest(),
        "skipped: the backend declares supportsCrashRecoveryTest() = false");
    long seed = printSeed();
    ModelFingerprint fp = fingerprint(CrashWriter.DIMENSION, Similarity.COSINE, false);
    Path dir = tempDir.resolve("s").toAbsolutePath();
    VectorStore created = createStore(dir, fp);
    created.commit();
    created.close();
    int killAfter = 3;
    int batchSize = 200;
    List<String> args =
        new ArrayList<>(
            List.of(
                provider().getClass().getName(),
                dir.toString(),
                fp.canonical(),
                Long.toString(seed),
                Integer.toString(batchSize),
                "100000"));
    settings().forEach((k, v) -> args.add(k + "=" + v));
    int lastSeen;
    try (WriterProcess p =
        WriterProcess.start(crashTestJvmArguments(), args, tempDir.resolve("writer.stderr"))) {
      boolean reached = p.awaitCommitted(killAfter - 1);
      // kill while the writer is inside the next batch's writes or commit
      p.kill();
      lastSeen = p.lastCommitted();
      if (!reached) {
        fail(
            ctx(seed)
                + "the writer process ended before committing "
                + killAfter
                + " batches; "
                + p.output());
      }
    }
    note(ctx(seed) + "killed the writer after it reported batch " + lastSeen + " committed");
    VectorStore reopened = openStore(dir, false);
    assertThat(reopened.fingerprint()).isEqualTo(fp);
    long total = 0;
    boolean gapSeen = false;
    for (int b = 0; b <= lastSeen + 50; b++) {
      List<Item> batch = CrashWriter.batch(fp, seed, b, batchSize);
      int present = 0;
      for (Item it : batch) if (reopened.get(it.id()).isPresent()) present++;
      String why =
          ctx(seed)
              + "batch "
              + b
              + " after killing the writer (last reported commit: "
              + lastSeen
              + ")";
      if (b <= lastSeen) {
        assertThat(present).as(why + ": committed records must survive").isEqualTo(batchSize);
        for (int i = 0; i < batch.size(); i += 37)
          assertSameRecord(reopened.get(batch.get(i).id()), batch.get(i), why);
      } else {
        assertThat(present).as(why + ": a batch is all there or all absent").isIn(0, batchSize);
        if (present > 0)
          assertThat(gapSeen)
              .as(why + ": commits are ordered, so no batch after a missing one")
              .isFalse();
        if (present == 0) gapSeen = true;
      }
      total += present;
    }
    assertThat(reopened.count())
        .as(ctx(seed) + "count equals the whole batches found")
        .isEqualTo(total);
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
