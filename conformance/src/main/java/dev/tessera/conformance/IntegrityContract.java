package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Filter;
import dev.tessera.api.Item;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kit, part: a damaged store. A flipped byte in any file of a committed, closed store is
 * refused on open or detected on read; a store that opens must answer with exactly what was
 * committed.
 */
abstract class IntegrityContract extends ProviderContract {
  /** Offsets flipped per file, each drawn from the seed. */
  static final int FLIPS_PER_FILE = 4;

  IntegrityContract() {}

  @Test
  void should_refuse_or_detect_a_flipped_byte_in_every_file_and_never_answer_wrongly()
      throws IOException {
    assumePersistent("a flipped byte needs a store on disk");
    long seed = printSeed();
    Random rnd = new Random(seed);
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    List<Item> first = FidelityContract.seededItems(rnd, 20 + rnd.nextInt(20), SMALL);
    store.upsert(first);
    store.commit();
    List<Item> second = randomItems(rnd, "late-", 5 + rnd.nextInt(10), SMALL);
    store.upsert(second);
    store.delete(List.of(first.get(0).id()));
    store.commit();
    store.close();
    Map<String, Item> expected = new LinkedHashMap<>();
    for (Item it : first) expected.put(it.id(), it);
    for (Item it : second) expected.put(it.id(), it);
    expected.remove(first.get(0).id());

    Path pristine = tempDir.resolve("pristine");
    copyTree(dir, pristine);
    int refused = 0, detected = 0, exact = 0, trial = 0;
    for (Path file : files(pristine)) {
      long size = Files.size(pristine.resolve(file));
      if (size == 0) continue;
      for (int f = 0; f < FLIPS_PER_FILE; f++) {
        long offset = f == 0 ? size - 1 : rnd.nextLong(size); // the footer, then anywhere
        int mask = 1 + rnd.nextInt(255);
        boolean readOnly = supportsReadOnlyOpen() && trial++ % 2 == 0;
        String why =
            ctx(seed)
                + "after flipping byte "
                + offset
                + " of "
                + size
                + " (xor 0x"
                + Integer.toHexString(mask)
                + ") in '"
                + file
                + "', "
                + (readOnly ? "read-only" : "writable")
                + " open (a damaged store is refused with CorruptCollectionException or detected"
                + " on read; it never gives a wrong answer)";
        flip(dir.resolve(file), offset, mask);
        try {
          switch (trial(dir, readOnly, expected, why)) {
            case REFUSED -> refused++;
            case DETECTED -> detected++;
            case EXACT -> exact++;
          }
        } finally {
          restore(pristine, dir);
        }
      }
    }
    note(
        "flipped bytes: "
            + refused
            + " refused on open, "
            + detected
            + " detected on read, "
            + exact
            + " opened with exactly the committed data");
    assertThat(refused + detected + exact)
        .as(ctx(seed) + "flips tried (the store must have written a non-empty file)")
        .isPositive();
  }

  enum Outcome {
    REFUSED,
    DETECTED,
    EXACT
  }

  private Outcome trial(Path dir, boolean readOnly, Map<String, Item> expected, String why) {
    VectorStore s;
    try {
      s = provider().open(new StoreContext(dir, settings(), readOnly));
    } catch (CorruptCollectionException | IOException e) {
      return Outcome.REFUSED;
    } catch (RuntimeException e) {
      throw new AssertionError(
          why + ": open threw " + e + " instead of the api's CorruptCollectionException", e);
    }
    try (s) {
      assertThat(s.count()).as(why + ": count").isEqualTo(expected.size());
      List<String> seen = new ArrayList<>();
      s.forEach(it -> seen.add(it.id()));
      assertThat(seen)
          .as(why + ": ids of forEach")
          .containsExactlyInAnyOrderElementsOf(expected.keySet());
      for (Item it : expected.values()) assertSameRecord(s.get(it.id()), it, why);
      List<Item> items = List.copyOf(expected.values());
      for (int q = 0; q < 3; q++) {
        float[] query = items.get(q * items.size() / 3).embedding().vector();
        assertTopK(
            s.search(query, 5, Filter.ALL), items, query, 5, Filter.ALL, Similarity.COSINE, why);
      }
      return Outcome.EXACT;
    } catch (CorruptCollectionException | IOException | UncheckedIOException e) {
      return Outcome.DETECTED;
    }
  }

  private static void flip(Path file, long offset, int mask) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) offset] ^= (byte) mask;
    Files.write(file, bytes);
  }

  /** Regular files under {@code dir}, relative, sorted. */
  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (Path rel : files(from)) {
      Files.createDirectories(to.resolve(rel).getParent());
      Files.copy(from.resolve(rel), to.resolve(rel), StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  /** Makes {@code dir} hold exactly the files of {@code pristine} again (contents and mtimes). */
  private static void restore(Path pristine, Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) Files.delete(p);
      }
    }
    copyTree(pristine, dir);
  }
}
