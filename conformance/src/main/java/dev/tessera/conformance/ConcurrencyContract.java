package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The kit, part: concurrent writers and readers end in the sequential expectation. */
abstract class ConcurrencyContract extends ProcessContract {
  ConcurrencyContract() {}

  @Test
  void should_stay_consistent_under_concurrent_writers_and_readers() throws Exception {
    long seed = printSeed();
    int writers = supportsConcurrentWriters() ? 2 : 1;
    int readers = 2;
    int ops = concurrentOperations();
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> base = randomItems(new Random(seed), "base-", 50, SMALL);
    store.upsert(base);
    store.commit();
    Map<String, float[]> vectors = new ConcurrentHashMap<>();
    for (Item it : base) vectors.put(it.id(), it.embedding().vector());
    Set<String> deletedDone = ConcurrentHashMap.newKeySet();
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger writersLeft = new AtomicInteger(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        int wi = w;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    for (int i = 0; i < ops; i++) {
                      Item it = writerItem(seed, wi, i);
                      vectors.put(
                          it.id(),
                          it.embedding()
                              .vector()); // known before the write, so a reader may see it
                      store.upsert(List.of(it));
                      if (i % 4 == 3) {
                        String victim = "w" + wi + "-" + (i - 2);
                        store.delete(List.of(victim));
                        deletedDone.add(victim);
                      }
                      if (wi == 0 && i % 100 == 99) store.commit();
                    }
                  } finally {
                    writersLeft.decrementAndGet();
                  }
                  return null;
                }));
      }
      for (int r = 0; r < readers; r++) {
        int ri = r;
        futures.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(seed * 31 + ri);
                  start.await();
                  for (int j = 0; j < ops * writers; j++) {
                    Set<String> goneBefore = Set.copyOf(deletedDone);
                    float[] q = randomVector(rnd, 8);
                    List<Hit> hits = store.search(q, 10, Filter.ALL);
                    assertThat(hits)
                        .as("reader %d search %d: sorted", ri, j)
                        .isSortedAccordingTo(Hit.ORDER);
                    assertScoresMatch(
                        hits,
                        vectors,
                        q,
                        Similarity.COSINE,
                        ctx(seed) + "reader " + ri + " search " + j);
                    for (Hit h : hits) {
                      assertThat(goneBefore)
                          .as(
                              ctx(seed)
                                  + "reader %d search %d returned '%s', deleted before the search"
                                  + " began",
                              ri,
                              j,
                              h.id())
                          .doesNotContain(h.id());
                    }
                    long n = store.count();
                    assertThat(n)
                        .as("count during writes")
                        .isBetween(1L, 50L + (long) writers * ops);
                    if (j % 10 == 0) store.get("base-" + rnd.nextInt(50)).orElseThrow();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        try {
          f.get(5, TimeUnit.MINUTES); // a safety net against a deadlock, not a timing assertion
        } catch (java.util.concurrent.ExecutionException e) {
          throw new AssertionError(
              ctx(seed) + "a concurrent reader or writer failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    // the sequential expectation: each writer owns its ids, so the final state is known
    Map<String, Item> expected = new LinkedHashMap<>();
    for (Item it : base) expected.put(it.id(), it);
    for (int w = 0; w < writers; w++) {
      for (int i = 0; i < ops; i++) expected.put("w" + w + "-" + i, writerItem(seed, w, i));
      for (int i = 3; i < ops; i += 4) expected.remove("w" + w + "-" + (i - 2));
    }
    store.commit();
    checkState(store, expected, ctx(seed) + "after concurrent writes");
    store.close();
    assumePersistent("the rest of this test checks the state after a reopen");
    checkState(openStore(dir, false), expected, ctx(seed) + "after concurrent writes and reopen");
  }

  private static Item writerItem(long seed, int writer, int i) {
    Random rnd = new Random(seed ^ (writer * 1_000_003L + i * 7919L));
    return item(
        "w" + writer + "-" + i,
        randomVector(rnd, 8),
        SMALL,
        i % 2 == 0 ? Modality.IMAGE : Modality.TEXT);
  }

  private void checkState(VectorStore store, Map<String, Item> expected, String why)
      throws IOException {
    assertThat(store.count()).as(why + ": count").isEqualTo(expected.size());
    Set<String> seen = new HashSet<>();
    store.forEach(it -> seen.add(it.id()));
    assertThat(seen).as(why + ": ids").containsExactlyInAnyOrderElementsOf(expected.keySet());
    int i = 0;
    for (Item it : expected.values()) {
      if (i++ % 7 == 0) assertSameRecord(store.get(it.id()), it, why);
    }
  }
}
