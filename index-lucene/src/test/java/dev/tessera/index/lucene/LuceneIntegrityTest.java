package dev.tessera.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A committed store with one byte flipped in the middle of any of its files is refused on open,
 * read-only or writable, with the api's {@link CorruptCollectionException} naming the store and
 * what to do: Lucene's checksums are verified before the first read, so no damaged vector or hit is
 * ever returned.
 */
class LuceneIntegrityTest {
  private static final ModelFingerprint FP = TestData.fingerprint(32, Similarity.COSINE, true);
  private static final TestData DATA = new TestData(20261202L, 32, 20, 0.6, true);
  private static final int ROUNDS = 12;
  private static final int PER_ROUND = 20;

  @TempDir Path dir;

  private final LuceneStoreProvider provider = new LuceneStoreProvider();

  /**
   * 240 records in 12 commits, each merged into one segment of separate files (each commit adds at
   * least a tenth of the store), then 10 records in a compound segment (too few to merge); a delete
   * adds a live-docs file.
   */
  private List<Item> build(Path store, String quantization) throws IOException {
    Files.createDirectories(store);
    List<Item> kept = new ArrayList<>();
    try (VectorStore s =
        provider.create(new StoreContext(store, Map.of("quantization", quantization), false), FP)) {
      for (int r = 0; r < ROUNDS; r++) {
        List<Item> batch = DATA.items("r" + r + "-", PER_ROUND, FP);
        s.upsert(batch);
        s.commit();
        kept.addAll(batch);
      }
      List<Item> small = DATA.items("small-", 10, FP);
      s.upsert(small);
      s.commit();
      kept.addAll(small);
      ((LuceneStore) s).waitForMerges();
      s.delete(List.of(kept.remove(3).id()));
      s.commit();
    }
    return kept;
  }

  @ParameterizedTest(name = "quantization {0}")
  @ValueSource(strings = {"none", "int8"})
  void should_refuse_a_flipped_byte_in_the_middle_of_every_store_file(String quantization)
      throws IOException {
    Path intact = dir.resolve("intact");
    List<Item> kept = build(intact, quantization);
    List<Path> files = storeFiles(intact);
    List<String> names = files.stream().map(f -> f.getFileName().toString()).toList();
    // The store holds both layouts and every kind of file Lucene writes for it.
    assertThat(names)
        .anyMatch(n -> n.endsWith(".cfs"))
        .anyMatch(n -> n.endsWith(".cfe"))
        .anyMatch(n -> n.endsWith(".si"))
        .anyMatch(n -> n.startsWith("segments_"))
        .anyMatch(n -> n.endsWith(".liv"))
        .anyMatch(n -> n.endsWith(".vec"))
        .anyMatch(n -> n.endsWith(".vex"))
        .anyMatch(n -> n.endsWith(".fdt"))
        .anyMatch(n -> n.endsWith(".tim"));
    if (!quantization.equals("none")) assertThat(names).anyMatch(n -> n.endsWith(".veq"));

    // The intact store opens and returns exactly what was written, so a refusal below is the flip.
    try (VectorStore s = provider.open(new StoreContext(intact, Map.of(), true))) {
      assertThat(s.count()).isEqualTo(kept.size());
      for (Item item : kept) assertThat(s.get(item.id())).contains(item);
    }

    int flipped = 0;
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (Files.size(file) == 0) continue; // write.lock: no byte to flip
      Path damaged = dir.resolve("damaged-" + name);
      copy(intact, damaged);
      flipMiddleByte(damaged.resolve(name));
      for (boolean readOnly : new boolean[] {true, false}) {
        assertThatThrownBy(() -> provider.open(new StoreContext(damaged, Map.of(), readOnly)))
            .as(
                "%s with its middle byte flipped, opened %s",
                name, readOnly ? "read-only" : "writable")
            .isInstanceOf(CorruptCollectionException.class)
            .hasMessageContaining("The lucene store in " + damaged)
            .hasMessageContaining("Restore the collection from a backup, or reindex it");
      }
      // A refused writable open leaves no write lock behind: the intact copy of the same store
      // opens writable where the damaged one stood.
      deleteTree(damaged);
      copy(intact, damaged);
      try (VectorStore s = provider.open(StoreContext.of(damaged))) {
        assertThat(s.search(kept.get(7).embedding().vector(), 1, Filter.ALL))
            .extracting(Hit::id)
            .containsExactly(kept.get(7).id());
      }
      deleteTree(damaged);
      flipped++;
    }
    assertThat(flipped).isGreaterThanOrEqualTo(names.size() - 1);
  }

  private static List<Path> storeFiles(Path store) throws IOException {
    try (Stream<Path> s = Files.list(store)) {
      return s.sorted().toList();
    }
  }

  private static void flipMiddleByte(Path file) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = ch.size() / 2;
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x5A));
      b.rewind();
      ch.write(b, at);
      ch.force(true);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (Path f : storeFiles(from)) Files.copy(f, to.resolve(f.getFileName()));
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted((a, b) -> b.compareTo(a))
          .forEach(
              f -> {
                try {
                  Files.delete(f);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
