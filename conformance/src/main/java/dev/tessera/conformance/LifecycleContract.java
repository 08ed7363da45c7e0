package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.FingerprintMismatchException;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kit, part: the fingerprint, durability across close and reopen, and read-only opens (also
 * while a writer commits).
 */
abstract class LifecycleContract extends ModalityContract {
  LifecycleContract() {}

  @ParameterizedTest(name = "dim={0}, {1}, normalized={2}")
  @CsvSource({"8, EUCLIDEAN, false", "8, COSINE, true", "5, DOT_PRODUCT, true", "3, COSINE, false"})
  void should_report_its_fingerprint_after_reopen(int dim, Similarity sim, boolean normalized)
      throws IOException {
    assumePersistent("this test reopens the store");
    long seed = printSeed();
    Random rnd = new Random(seed);
    String digest = String.format("%016x", rnd.nextLong()).repeat(4);
    ModelFingerprint fp =
        ModelFingerprint.of("vendor/model-with;odd=chars é 猫 " + dim, dim, sim, normalized, digest);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, fp);
    assertSameFingerprint(store.fingerprint(), fp, ctx(seed) + "fingerprint of the new store");
    float[] v = randomVector(rnd, dim);
    if (normalized) v = unit(v);
    store.upsert(List.of(item("a", v, fp, Modality.TEXT)));
    store.commit();
    store.close();
    VectorStore reopened = openStore(dir, false);
    assertSameFingerprint(reopened.fingerprint(), fp, ctx(seed) + "fingerprint after reopen");
    assertThat(reopened.get("a").orElseThrow().embedding().fingerprint())
        .as(ctx(seed) + "fingerprint of a record's embedding after reopen")
        .isEqualTo(fp);
  }

  private static void assertSameFingerprint(
      ModelFingerprint actual, ModelFingerprint expected, String why) {
    // field by field, so the message names the one a store lost (ModelFingerprint javadoc)
    assertThat(actual.name()).as(why + ": name").isEqualTo(expected.name());
    assertThat(actual.dimension()).as(why + ": dimension").isEqualTo(expected.dimension());
    assertThat(actual.similarity()).as(why + ": similarity").isEqualTo(expected.similarity());
    assertThat(actual.normalized()).as(why + ": normalized").isEqualTo(expected.normalized());
    assertThat(actual.digest()).as(why + ": digest").isEqualTo(expected.digest());
    assertThat(actual).as(why + ": equals (what the api compares)").isEqualTo(expected);
  }

  private static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) n += (double) x * x;
    float[] u = new float[v.length];
    for (int i = 0; i < v.length; i++) u[i] = (float) (v[i] / Math.sqrt(n));
    return u;
  }

  @Test
  void should_be_refused_through_the_api_when_opened_with_another_fingerprint() throws IOException {
    assumePersistent("this test reopens the store");
    long seed = printSeed();
    ModelFingerprint fp = fingerprint(8, Similarity.COSINE, false);
    ModelFingerprint other =
        ModelFingerprint.of(
            fp.name(), 8, Similarity.COSINE, false, "0".repeat(64)); // same name, other digest
    Path dir = tempDir.resolve("c").toAbsolutePath();
    try (VectorCollection c = VectorCollection.create(dir, provider(), fp, settings())) {
      c.upsert(randomItems(new Random(seed), "r", 5, fp));
      c.commit();
    }
    assertThatThrownBy(() -> VectorCollection.open(dir, other, provider(), false))
        .as(ctx(seed) + "open through the api with a fingerprint of another digest")
        .isInstanceOf(FingerprintMismatchException.class)
        .hasMessage(
            new FingerprintMismatchException("open of collection " + dir, fp, other).getMessage());
    // the right fingerprint opens, which also checks the store's own report against the manifest
    try (VectorCollection c = VectorCollection.open(dir, fp, provider(), false)) {
      assertThat(c.count()).as(ctx(seed) + "records after reopen through the api").isEqualTo(5);
      assertThat(c.fingerprint())
          .as(ctx(seed) + "the collection's fingerprint after reopen (VectorStore#fingerprint)")
          .isEqualTo(fp);
      Embedding foreign = new Embedding(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, other, Modality.TEXT);
      assertThatThrownBy(() -> c.search(foreign, 3))
          .as(ctx(seed) + "a search with a query of another fingerprint")
          .isInstanceOf(FingerprintMismatchException.class)
          .hasMessage(new FingerprintMismatchException("query", fp, other).getMessage());
      assertThatThrownBy(() -> c.upsert(Item.of("z", foreign)))
          .as(ctx(seed) + "an upsert of an item of another fingerprint")
          .isInstanceOf(FingerprintMismatchException.class)
          .hasMessage(
              new FingerprintMismatchException("write of record 'z'", fp, other).getMessage());
    }
  }

  // ================================================================== persistence

  @Test
  void should_keep_everything_committed_across_close_and_reopen() throws IOException {
    assumePersistent("this test reopens the store");
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    // several batches, deletes and replaces, then one commit: the last batch must be in it too
    List<Item> a = randomItems(rnd, "a", 40, SMALL);
    store.upsert(a);
    store.commit();
    List<Item> b = randomItems(rnd, "b", 40, SMALL);
    store.upsert(b);
    store.delete(List.of("a0", "a1"));
    Item replaced = item("a2", randomVector(rnd, 8), SMALL, Modality.IMAGE).with("k", "v");
    store.upsert(List.of(replaced));
    List<Item> c = randomItems(rnd, "c", 3, SMALL);
    store.upsert(c);
    store.commit();
    Map<String, Item> expected = new TreeMap<>();
    for (Item it : a) expected.put(it.id(), it);
    for (Item it : b) expected.put(it.id(), it);
    for (Item it : c) expected.put(it.id(), it);
    expected.remove("a0");
    expected.remove("a1");
    expected.put("a2", replaced);
    store.close();
    for (int round = 1; round <= 2; round++) {
      VectorStore reopened = openStore(dir, false);
      String why = ctx(seed) + "reopen " + round;
      assertThat(reopened.count()).as(why + ": count").isEqualTo(expected.size());
      for (Item it : expected.values()) assertSameRecord(reopened.get(it.id()), it, why);
      assertThat(reopened.get("a0")).as(why + ": deleted a0").isEmpty();
      float[] q = c.get(2).embedding().vector();
      assertTopK(
          reopened.search(q, 5, Filter.ALL),
          List.copyOf(expected.values()),
          q,
          5,
          Filter.ALL,
          Similarity.COSINE,
          why + ": search after reopen");
      reopened.close();
    }
  }

  @Test
  void should_keep_an_uncommitted_batch_all_or_nothing_after_reopen() throws IOException {
    assumePersistent("this test reopens the store");
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> committed = randomItems(rnd, "c", 50, SMALL);
    store.upsert(committed);
    store.commit();
    List<Item> pending = randomItems(rnd, "p", 300, SMALL);
    store.upsert(pending);
    store.close();
    VectorStore reopened = openStore(dir, false);
    long present = 0;
    for (Item it : pending) if (reopened.get(it.id()).isPresent()) present++;
    assertThat(present)
        .as(ctx(seed) + "records of the uncommitted batch of 300 after reopen: all or none")
        .isIn(0L, 300L);
    for (Item it : committed)
      assertSameRecord(reopened.get(it.id()), it, ctx(seed) + "committed record");
    assertThat(reopened.count())
        .as(
            ctx(seed)
                + "count after reopen: 50 committed and "
                + present
                + " of the uncommitted batch present")
        .isEqualTo(50 + present);
  }

  @Test
  void should_discard_uncommitted_writes_on_close() throws IOException {
    assumePersistent("this test reopens the store");
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> committed = randomItems(rnd, "c", 20, SMALL);
    store.upsert(committed);
    store.commit();
    store.upsert(randomItems(rnd, "p", 5, SMALL));
    store.delete(List.of("c0"));
    store.close();
    VectorStore reopened = openStore(dir, false);
    assertThat(reopened.count())
        .as(ctx(seed) + "VectorStore#close discards uncommitted writes")
        .isEqualTo(20);
    assertThat(reopened.get("p0"))
        .as(ctx(seed) + "an uncommitted upsert after reopen (VectorStore#close discards it)")
        .isEmpty();
    assertSameRecord(
        reopened.get("c0"), committed.get(0), ctx(seed) + "an uncommitted delete is discarded");
  }

  @Test
  void should_open_read_only_with_everything_committed() throws IOException {
    assumeReadOnlyOpens();
    long seed = printSeed();
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> items = randomItems(new Random(seed), "r", 30, SMALL);
    store.upsert(items);
    store.commit();
    store.close();
    VectorStore ro = openStore(dir, true);
    assertThat(ro.count())
        .as(ctx(seed) + "count of a read-only open of 30 committed records")
        .isEqualTo(30);
    for (Item it : items) assertSameRecord(ro.get(it.id()), it, ctx(seed) + "read-only open");
    float[] q = items.get(3).embedding().vector();
    assertTopK(
        ro.search(q, 3, Filter.ALL), items, q, 3, Filter.ALL, Similarity.COSINE, "read-only");
  }

  @Test
  void should_change_no_file_and_take_no_write_lock_when_opened_read_only() throws IOException {
    assumeReadOnlyOpens();
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> items = FidelityContract.seededItems(rnd, 30 + rnd.nextInt(30), SMALL);
    store.upsert(items);
    store.commit();
    store.close();
    Map<String, String> before = StoreFiles.snapshot(dir);
    VectorStore ro = openStore(dir, true);
    // every read the SPI offers
    ro.count();
    for (Item it : items) ro.get(it.id());
    ro.search(items.get(0).embedding().vector(), 5, Filter.ALL);
    ro.search(items.get(1).embedding().vector(), 5, Filter.where("album").eq("a1"));
    ro.forEach(it -> {});
    ro.sample(Modality.IMAGE, 3);
    String rule =
        ctx(seed)
            + "files of the store (path: size, sha256, mtime) %s a read-only open"
            + " (StoreContext#readOnly: another process may be writing; nothing may change)";
    assertThat(StoreFiles.snapshot(dir)).as(rule, "while").isEqualTo(before);
    // a read-only open holds no write lock: a writer opens beside it
    VectorStore writer = openStore(dir, false);
    writer.close();
    ro.close();
    // the writer may have changed files; a second read-only open and close must not
    Map<String, String> afterWriter = StoreFiles.snapshot(dir);
    openStore(dir, true).close();
    assertThat(StoreFiles.snapshot(dir)).as(rule, "after").isEqualTo(afterWriter);
  }

  @Test
  void should_open_read_only_while_a_writer_commits() throws Exception {
    assumeReadOnlyOpens();
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    int batch = 20;
    int batches = 25;
    List<List<Item>> commits = new ArrayList<>();
    for (int b = 0; b < batches; b++) commits.add(randomItems(rnd, "b" + b + "-", batch, SMALL));
    Item first = commits.get(0).get(0);
    float[] q = commits.get(0).get(1).embedding().vector();
    VectorStore writer = createStore(dir, SMALL);
    writer.upsert(commits.get(0));
    writer.commit();
    VectorStore early = openStore(dir, true);
    AtomicReference<Throwable> writerFailed = new AtomicReference<>();
    Thread commitsThread =
        new Thread(
            () -> {
              try {
                for (List<Item> c : commits.subList(1, batches)) {
                  writer.upsert(c);
                  writer.commit();
                }
              } catch (Throwable e) {
                writerFailed.set(e);
              }
            },
            "kit-writer");
    String rule =
        ctx(seed)
            + "a read-only open while another handle commits batches of "
            + batch
            + " (StoreContext#readOnly: another process may be writing) sees whole commits only";
    commitsThread.start();
    int opens = 0;
    try {
      while (commitsThread.isAlive() || opens < 3) {
        VectorStore ro = openStore(dir, true);
        try {
          long n = ro.count();
          assertThat(n % batch).as(rule + "; count() = %d", n).isZero();
          assertThat(n).as(rule).isBetween((long) batch, (long) batch * batches);
          assertSameRecord(ro.get(first.id()), first, rule + "; a record of the first commit");
          assertThat(ro.search(q, 3, Filter.ALL)).as(rule + "; search k=3").hasSize(3);
        } finally {
          ro.close();
        }
        opens++;
      }
    } finally {
      commitsThread.join();
    }
    assertThat(writerFailed.get()).as(ctx(seed) + "the writer's commits").isNull();
    long earlyCount = early.count();
    assertThat(earlyCount % batch)
        .as(ctx(seed) + "a read-only handle opened before the commits keeps answering; count()")
        .isZero();
    assertSameRecord(early.get(first.id()), first, ctx(seed) + "the early read-only handle");
    assertThat(early.search(q, 3, Filter.ALL)).as(ctx(seed) + "the early handle").hasSize(3);
    early.close();
    writer.close();
    VectorStore last = openStore(dir, true);
    assertThat(last.count())
        .as(ctx(seed) + "a read-only open after all %d commits", batches)
        .isEqualTo((long) batch * batches);
    for (List<Item> c : commits)
      for (Item it : c) assertSameRecord(last.get(it.id()), it, ctx(seed) + "after the commits");
    last.close();
  }

  private void assumeReadOnlyOpens() {
    assumePersistent("a read-only open needs a store on disk");
    Assumptions.assumeTrue(
        supportsReadOnlyOpen(), "skipped: the backend declares supportsReadOnlyOpen() = false");
  }
}
