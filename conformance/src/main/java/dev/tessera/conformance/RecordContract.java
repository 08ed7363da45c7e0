package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.Source;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kit, part: records: get, upsert, replace, delete, count, forEach and reading its own writes.
 */
abstract class RecordContract extends ConformanceSupport {
  RecordContract() {}

  @Test
  void should_return_an_upserted_record_whole_by_get() throws IOException {
    long seed = printSeed();
    // given
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    Item text =
        item("note-1", randomVector(new Random(seed), 8), SMALL, Modality.TEXT)
            .with("album", "2024")
            .with("lang", "en");
    Item image = item("cat.jpg", randomVector(new Random(seed + 1), 8), SMALL, Modality.IMAGE);
    Item bare =
        Item.of("bare", new Embedding(randomVector(new Random(seed + 2), 8), SMALL, Modality.TEXT));
    // when
    store.upsert(List.of(text, image, bare));
    // then
    assertSameRecord(store.get("note-1"), text, ctx(seed) + "text record");
    assertSameRecord(store.get("cat.jpg"), image, ctx(seed) + "image record");
    assertSameRecord(store.get("bare"), bare, ctx(seed) + "record without source");
    assertThat(store.count()).isEqualTo(3);
  }

  @Test
  void should_return_empty_for_an_unknown_id() throws IOException {
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    store.upsert(List.of(item("a", new float[] {1, 0, 0, 0, 0, 0, 0, 0}, SMALL, Modality.TEXT)));
    assertThat(store.get("b")).as("get of an id that was never written").isEmpty();
  }

  @Test
  void should_replace_vector_metadata_and_source_when_an_id_is_upserted_again() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    // given
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    Item first =
        item("x", randomVector(rnd, 8), SMALL, Modality.TEXT)
            .with("v", "1")
            .with("only-first", "yes");
    store.upsert(List.of(first, item("y", randomVector(rnd, 8), SMALL, Modality.TEXT)));
    // when
    Item second =
        new Item(
            "x",
            new Embedding(randomVector(rnd, 8), SMALL, Modality.IMAGE),
            Map.of("v", "2"),
            Source.image("new.jpg"));
    store.upsert(List.of(second));
    // then
    assertSameRecord(store.get("x"), second, ctx(seed) + "replaced record");
    assertThat(store.count()).as(ctx(seed) + "a replace must not add a record").isEqualTo(2);
  }

  @Test
  void should_delete_an_existing_id_and_ignore_a_missing_one() throws IOException {
    long seed = printSeed();
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(new Random(seed), "r", 10, SMALL);
    store.upsert(items);
    // when
    store.delete(List.of("r3", "never-there"));
    store.delete(List.of("r3"));
    // then
    assertThat(store.get("r3")).as(ctx(seed) + "deleted record").isEmpty();
    assertThat(store.count()).as(ctx(seed) + "count after deleting 1 of 10").isEqualTo(9);
    for (Item it : items)
      if (!it.id().equals("r3"))
        assertSameRecord(store.get(it.id()), it, ctx(seed) + "untouched record");
  }

  @Test
  void should_count_records_after_upserts_replaces_and_deletes() throws IOException {
    long seed = printSeed();
    Random rnd = new Random(seed);
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    assertThat(store.count()).as("a new store").isZero();
    store.upsert(randomItems(rnd, "a", 30, SMALL));
    assertThat(store.count()).isEqualTo(30);
    store.upsert(randomItems(rnd, "a", 10, SMALL)); // replaces a0..a9
    assertThat(store.count()).as(ctx(seed) + "after replacing 10").isEqualTo(30);
    store.upsert(randomItems(rnd, "b", 5, SMALL));
    store.delete(List.of("a0", "a1", "b4"));
    assertThat(store.count()).as(ctx(seed) + "after 5 more and 3 deletes").isEqualTo(32);
  }

  @Test
  void should_do_nothing_for_an_empty_batch() throws IOException {
    long seed = printSeed();
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    store.upsert(randomItems(new Random(seed), "r", 5, SMALL));
    store.upsert(List.of());
    store.delete(List.of());
    assertThat(store.count()).as(ctx(seed) + "empty batches must change nothing").isEqualTo(5);
  }

  @Test
  void should_visit_every_record_once_with_forEach() throws IOException {
    long seed = printSeed();
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(new Random(seed), "r", 50, SMALL);
    store.upsert(items);
    store.delete(List.of("r7"));
    List<String> seen = new ArrayList<>();
    store.forEach(it -> seen.add(it.id()));
    List<String> expected =
        new ArrayList<>(items.stream().map(Item::id).filter(id -> !id.equals("r7")).toList());
    assertThat(seen)
        .as(ctx(seed) + "ids visited by forEach")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void should_see_its_own_writes_before_commit() throws IOException {
    long seed = printSeed();
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    List<Item> items = randomItems(new Random(seed), "r", 20, SMALL);
    store.upsert(items);
    store.commit();
    store.upsert(List.of(item("late", items.get(0).embedding().vector(), SMALL, Modality.TEXT)));
    store.delete(List.of("r1"));
    assertThat(store.get("late")).as(ctx(seed) + "an uncommitted upsert").isPresent();
    assertThat(store.get("r1")).as(ctx(seed) + "an uncommitted delete").isEmpty();
    assertThat(store.count()).isEqualTo(20);
    assertThat(ids(store.search(items.get(0).embedding().vector(), 20, Filter.ALL)))
        .as(ctx(seed) + "search before commit")
        .contains("late")
        .doesNotContain("r1");
  }
}
