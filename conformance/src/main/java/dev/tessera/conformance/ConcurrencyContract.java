package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The kit, part: writers and readers released together in phases, fighting over hot ids, end in a
 * state a linearizable store could reach, and every read on the way is one such a store could give.
 */
abstract class ConcurrencyContract extends ProcessContract {
  /** The rule every failure of this part names. */
  static final String THREAD_RULE =
      " (VectorStore javadoc, thread safety: any number of threads may read and write at once;"
          + " reads see every write of this instance that returned)";

  private static final int PHASES = 4;
  private static final int READERS = 2;

  ConcurrencyContract() {}

  @Test
  void should_stay_consistent_under_concurrent_writers_and_readers() throws Exception {
    long seed = printSeed();
    int writers = supportsConcurrentWriters() ? 3 : 1;
    int ops = Math.max(10, concurrentOperations() / PHASES);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> base = randomItems(new Random(seed), "base-", ConcurrentLedger.BASE, SMALL);
    store.upsert(base);
    store.commit();
    ConcurrentLedger ledger = new ConcurrentLedger(base, writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers + READERS);
    try {
      for (int p = 0; p < PHASES; p++) {
        runPhase(store, ledger, pool, seed, p, writers, ops);
        checkQuiet(store, ledger, seed, ctx(seed) + "after phase " + p + " of " + PHASES);
      }
    } finally {
      pool.shutdownNow();
    }
    store.commit();
    checkQuiet(store, ledger, seed, ctx(seed) + "after the last commit");
    store.close();
    assumePersistent("the rest of this test checks the state after a reopen");
    checkQuiet(
        openStore(dir, false), ledger, seed, ctx(seed) + "after concurrent writes and reopen");
  }

  /**
   * One phase: every writer and reader waits at a barrier, then all run at once; a writer's ops
   * come from the seed, a reader reads until the writers are done.
   */
  private void runPhase(
      VectorStore store,
      ConcurrentLedger ledger,
      ExecutorService pool,
      long seed,
      int phase,
      int writers,
      int ops)
      throws InterruptedException {
    CyclicBarrier start = new CyclicBarrier(writers + READERS);
    AtomicInteger writersLeft = new AtomicInteger(writers);
    for (Map<String, Optional<Item>> last : ledger.lastHot) last.clear();
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int wi = w;
      futures.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  write(store, ledger, seed, phase, wi, ops);
                } finally {
                  writersLeft.decrementAndGet();
                }
                return null;
              }));
    }
    for (int r = 0; r < READERS; r++) {
      int ri = r;
      futures.add(
          pool.submit(
              () -> {
                Random rnd = new Random(mix(seed, phase, 100 + ri));
                start.await();
                int j = 0;
                // at least `ops` reads, then on while a writer writes (a cap, not a duration)
                for (; j < ops || (writersLeft.get() > 0 && j < 100 * ops); j++) {
                  String who = "reader " + ri + ", phase " + phase + ", read " + j;
                  try {
                    read(store, ledger, rnd, seed, who, j % 8 == 7);
                  } catch (Throwable t) {
                    throw failed(seed, who, t);
                  }
                }
                return null;
              }));
    }
    AssertionError first = null;
    for (Future<?> f : futures) {
      try {
        f.get(5, TimeUnit.MINUTES); // a safety net against a deadlock, not a timing assertion
      } catch (ExecutionException e) {
        if (first == null)
          first =
              e.getCause() instanceof AssertionError a
                  ? a
                  : new AssertionError(
                      ctx(seed) + "a thread failed: " + e.getCause(), e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError(
            ctx(seed)
                + "phase "
                + phase
                + " did not end within 5 minutes: a deadlock?"
                + THREAD_RULE);
      }
    }
    if (first != null) throw first;
  }

  /** Writer {@code w}'s ops of one phase, drawn from the seed: owned and hot writes, and reads. */
  private void write(
      VectorStore store, ConcurrentLedger ledger, long seed, int phase, int w, int ops)
      throws IOException {
    Random rnd = new Random(mix(seed, phase, w));
    LinkedHashMap<String, Item> mine = ledger.owned.get(w);
    Map<String, Optional<Item>> lastHot = ledger.lastHot.get(w);
    for (int i = 0; i < ops; i++) {
      String who = "writer " + w + ", phase " + phase + ", op " + i;
      int op = rnd.nextInt(10);
      try {
        if (op <= 3 || (op == 4 && mine.isEmpty())) {
          List<Item> batch = new ArrayList<>();
          for (int n = 1 + rnd.nextInt(3); n > 0; n--) batch.add(ledger.nextOwned(w, rnd, SMALL));
          who += " (upsert " + itemIds(batch) + ")";
          batch.forEach(ledger::know);
          store.upsert(batch);
          for (Item it : batch) {
            mine.put(it.id(), it);
            assertSameRecord(store.get(it.id()), it, ctx(seed) + who + ", read back" + THREAD_RULE);
          }
        } else if (op == 4) {
          String victim = new ArrayList<>(mine.keySet()).get(rnd.nextInt(mine.size()));
          who += " (delete " + victim + ")";
          store.delete(List.of(victim));
          mine.remove(victim);
          ledger.gone.add(victim);
          assertThat(store.get(victim))
              .as(ctx(seed) + who + ": get after its own delete" + THREAD_RULE)
              .isEmpty();
        } else if (op <= 6) {
          Item v =
              ConcurrentLedger.hotVersion(
                  rnd.nextInt(ConcurrentLedger.HOT_IDS), rnd, SMALL, who.replace(", ", "/"));
          who += " (upsert " + v.id() + ")";
          ledger.know(v);
          store.upsert(List.of(v));
          lastHot.put(v.id(), Optional.of(v));
        } else if (op == 7) {
          String id = ConcurrentLedger.hotId(rnd.nextInt(ConcurrentLedger.HOT_IDS));
          who += " (delete " + id + ")";
          store.delete(List.of(id));
          lastHot.put(id, Optional.empty());
        } else {
          who += " (read)";
          read(store, ledger, rnd, seed, who, op == 9);
        }
        if (w == 0 && i % 25 == 24) {
          who += " (commit)";
          store.commit();
        }
      } catch (Throwable t) {
        throw failed(seed, who, t);
      }
    }
  }

  /**
   * One read while others write: a search (sorted, no id twice, no id deleted before it began,
   * every score that of a version written under the id), the count, a base record that nobody
   * writes, and with {@code scan} a whole {@code forEach}.
   */
  private void read(
      VectorStore store, ConcurrentLedger ledger, Random rnd, long seed, String who, boolean scan)
      throws IOException {
    String why = ctx(seed) + who;
    Set<String> goneBefore = Set.copyOf(ledger.gone);
    float[] q = randomVector(rnd, SMALL.dimension());
    List<Hit> hits = store.search(q, 10, Filter.ALL);
    assertThat(hits)
        .as(why + ": search hits best first" + THREAD_RULE)
        .isSortedAccordingTo(Hit.ORDER);
    assertThat(ids(hits))
        .as(why + ": search returned an id twice" + THREAD_RULE)
        .doesNotHaveDuplicates();
    for (Hit h : hits) {
      assertThat(goneBefore)
          .as(why + ": search returned '%s', deleted before the search began" + THREAD_RULE, h.id())
          .doesNotContain(h.id());
      assertScoreOfSomeVersion(h, ledger.versions.get(h.id()), q, why);
    }
    long n = store.count();
    assertThat(n)
        .as(why + ": count between the base records and every id ever written" + THREAD_RULE)
        .isBetween((long) ConcurrentLedger.BASE, (long) ledger.versions.size());
    Item probe = ledger.base.get(rnd.nextInt(ledger.base.size()));
    assertSameRecord(store.get(probe.id()), probe, why + ", a record nobody writes" + THREAD_RULE);
    if (scan) {
      List<String> seen = new ArrayList<>();
      store.forEach(it -> seen.add(it.id()));
      assertThat(seen).as(why + ": forEach gave an id twice" + THREAD_RULE).doesNotHaveDuplicates();
      List<String> ghosts = seen.stream().filter(goneBefore::contains).toList();
      assertThat(ghosts)
          .as(why + ": forEach gave ids deleted before it began" + THREAD_RULE)
          .isEmpty();
      assertThat(seen)
          .as(why + ": forEach lost records nobody deleted" + THREAD_RULE)
          .containsAll(itemIds(ledger.base));
    }
  }

  private void assertScoreOfSomeVersion(Hit h, List<float[]> versions, float[] q, String why) {
    assertThat(versions)
        .as(why + ": search returned '" + h.id() + "', an id never written" + THREAD_RULE)
        .isNotNull();
    List<String> expected = new ArrayList<>();
    for (float[] v : versions) {
      double exact = QueryScorer.of(SMALL.similarity(), q).score(v);
      if (Math.abs(h.score() - exact) <= scoreTolerance(q, v, SMALL.similarity(), exact)) return;
      expected.add(String.valueOf(exact));
    }
    throw new AssertionError(
        why
            + ": score "
            + h.score()
            + " of '"
            + h.id()
            + "' is that of no vector written under the id (exact scores "
            + expected
            + ")"
            + THREAD_RULE);
  }

  /**
   * With no thread writing: each hot id holds one writer's last write of it, every other record is
   * exactly what was written, and count, forEach and search agree.
   */
  private void checkQuiet(VectorStore store, ConcurrentLedger ledger, long seed, String why)
      throws IOException {
    Map<String, Item> expected = ledger.expectedCold();
    for (int h = 0; h < ConcurrentLedger.HOT_IDS; h++) {
      String id = ConcurrentLedger.hotId(h);
      List<Optional<Item>> allowed = ledger.allowedHot(h);
      Optional<Item> actual = store.get(id);
      Optional<Item> match =
          allowed.stream()
              .filter(a -> a.isPresent() == actual.isPresent())
              .filter(a -> a.isEmpty() || sameRecord(actual.get(), a.get()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          why
                              + ": get('"
                              + id
                              + "') is "
                              + actual.map(ConcurrencyContract::describe).orElse("absent")
                              + ", but each writer's last write of it was "
                              + allowed.stream()
                                  .map(a -> a.map(ConcurrencyContract::describe).orElse("a delete"))
                                  .toList()
                              + THREAD_RULE));
      ledger.hot.remove(id);
      match.ifPresent(
          it -> {
            ledger.hot.put(id, it);
            expected.put(id, it);
          });
    }
    assertThat(store.count()).as(why + ": count" + THREAD_RULE).isEqualTo(expected.size());
    List<String> seen = new ArrayList<>();
    store.forEach(it -> seen.add(it.id()));
    assertThat(seen).as(why + ": forEach gave an id twice" + THREAD_RULE).doesNotHaveDuplicates();
    assertThat(seen)
        .as(why + ": forEach ids" + THREAD_RULE)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Item it : expected.values()) assertSameRecord(store.get(it.id()), it, why + THREAD_RULE);
    for (String id : ledger.gone)
      assertThat(store.get(id)).as(why + ": get('" + id + "') after its delete").isEmpty();
    Map<String, float[]> vectors = new HashMap<>();
    for (Item it : expected.values()) vectors.put(it.id(), it.embedding().vector());
    Random rnd = new Random(seed ^ expected.size());
    for (int j = 0; j < 5; j++) {
      float[] q = randomVector(rnd, SMALL.dimension());
      List<Hit> hits = store.search(q, 10, Filter.ALL);
      assertThat(ids(hits)).as(why + ": search returned an id twice").doesNotHaveDuplicates();
      assertScoresMatch(hits, vectors, q, SMALL.similarity(), why + ", search " + j + THREAD_RULE);
    }
  }

  private static String describe(Item it) {
    return "the version " + it.metadata() + " (" + it.modality() + ")";
  }

  private static List<String> itemIds(List<Item> items) {
    return items.stream().map(Item::id).toList();
  }

  private AssertionError failed(long seed, String who, Throwable t) {
    if (t instanceof AssertionError a && String.valueOf(a.getMessage()).contains(who)) return a;
    return new AssertionError(ctx(seed) + who + " failed: " + t + THREAD_RULE, t);
  }

  private static long mix(long seed, int phase, int thread) {
    return seed * 1_000_003L + phase * 7919L + thread * 104_729L;
  }
}
