package dev.tessera.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A disk that fills up while the store writes: the caller gets an {@link IOException} naming the
 * store, the cause and what to do (never Lucene's {@code AlreadyClosedException}), Lucene's merge
 * threads print nothing to stderr, the store closes, and a reopen shows exactly the last commit.
 */
class LuceneDiskFullTest {
  private static final ModelFingerprint FP = TestData.fingerprint(32, Similarity.COSINE, true);
  private static final TestData DATA = new TestData(20261203L, 32, 20, 0.6, true);

  @TempDir Path dir;

  /**
   * Ten commits of 20 records leave ten segments, so the next commits also start merges; then only
   * {@code room} more bytes fit and the writes go on until one fails.
   */
  @ParameterizedTest(name = "{0} bytes left")
  @ValueSource(longs = {0, 2_000, 20_000, 200_000})
  void should_fail_with_the_documented_exception_and_keep_every_commit(long room)
      throws IOException {
    Path store = Files.createDirectories(dir.resolve("store"));
    FullDisk disk = new FullDisk();
    List<Item> committed = new ArrayList<>();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    IOException failure = null;
    System.setErr(new PrintStream(new Tee(stderr, err), true, StandardCharsets.UTF_8));
    try {
      VectorStore s = LuceneStore.create(store, FP, LuceneSettings.DEFAULTS, disk.opener());
      try {
        for (int r = 0; r < 10; r++) {
          List<Item> batch = DATA.items("r" + r + "-", 20, FP);
          s.upsert(batch);
          s.commit();
          committed.addAll(batch);
        }
        disk.fillUpAfter(room);
        for (int r = 10; r < 400 && failure == null; r++) {
          List<Item> batch = DATA.items("r" + r + "-", 20, FP);
          try {
            s.upsert(batch);
            s.search(batch.get(0).embedding().vector(), 3, Filter.ALL);
            s.commit();
            committed.addAll(batch);
          } catch (IOException e) {
            failure = e;
          }
        }
        assertThat(failure).as("the disk filled up").isNotNull();
        System.out.println(room + " bytes left: " + failure);
        assertThat(failure)
            .hasMessageContaining("The lucene store in " + store)
            .hasMessageContaining("No space left on device")
            .hasMessageContaining("open it again");
        // Every later call says the same, as an IOException, until the store is closed.
        IOException again =
            assertThrows(
                IOException.class,
                () -> {
                  s.upsert(DATA.items("late", 1, FP));
                  s.commit();
                });
        assertThat(again).hasMessageContaining("No space left on device");
      } finally {
        s.close();
      }
    } finally {
      System.setErr(stderr);
    }
    String printed = err.toString(StandardCharsets.UTF_8);
    assertThat(printed).doesNotContain("\tat ").doesNotContain("Exception in thread");

    // Space is free again: the store reopens at its last commit, whole, and takes writes.
    disk.free();
    LuceneStoreProvider provider = new LuceneStoreProvider();
    try (VectorStore s = provider.open(new StoreContext(store, Map.of(), true))) {
      assertThat(s.count()).isEqualTo(committed.size());
      for (Item item : committed) assertThat(s.get(item.id())).contains(item);
    }
    try (VectorStore s = provider.open(StoreContext.of(store))) {
      // Every round wrote the same 20 vectors, so "r0-7" wins its ties by id.
      Item first = committed.get(7);
      assertThat(s.search(first.embedding().vector(), 1, Filter.ALL))
          .extracting(Hit::id)
          .containsExactly(first.id());
      s.upsert(DATA.items("after", 5, FP));
      s.commit();
      assertThat(s.count()).isEqualTo(committed.size() + 5);
    }
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
