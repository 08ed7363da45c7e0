package dev.tessera.api.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.NonFiniteVectorException;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the api checks before a store sees a write or a setting (moved here from the conformance
 * kit: no store can fail these): bad vectors, unknown settings, and a batch that repeats an id.
 */
class WriteGateTest {
  static final ModelFingerprint FP =
      ModelFingerprint.declared("gate/cosine-4", 4, Similarity.COSINE, false, "write gate test");

  @TempDir Path dir;

  /** A store that keeps records in a map and remembers every batch the api handed it. */
  static final class RecordingStore implements VectorStore {
    final Map<String, Item> records = new LinkedHashMap<>();
    final List<List<Item>> batches = new ArrayList<>();

    @Override
    public ModelFingerprint fingerprint() {
      return FP;
    }

    @Override
    public void upsert(List<Item> items) {
      batches.add(List.copyOf(items));
      for (Item it : items) records.put(it.id(), it);
    }

    @Override
    public void delete(List<String> ids) {
      ids.forEach(records::remove);
    }

    @Override
    public Optional<Item> get(String id) {
      return Optional.ofNullable(records.get(id));
    }

    @Override
    public long count() {
      return records.size();
    }

    @Override
    public List<Hit> search(float[] query, int k, Filter filter) {
      return List.of();
    }

    @Override
    public void forEach(Consumer<? super Item> action) {
      records.values().forEach(action);
    }

    @Override
    public void commit() {}

    @Override
    public void close() {}
  }

  /** Makes one {@link RecordingStore}; knows the setting {@code depth}. */
  static final class RecordingProvider implements VectorStoreProvider {
    final RecordingStore store = new RecordingStore();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public String description() {
      return "records the batches the api hands it";
    }

    @Override
    public Set<String> settingNames() {
      return Set.of("depth");
    }

    @Override
    public VectorStore create(StoreContext context, ModelFingerprint fingerprint) {
      return store;
    }

    @Override
    public VectorStore open(StoreContext context) {
      return store;
    }
  }

  static Item item(String id, Modality m, float... v) {
    return Item.of(id, new Embedding(v, FP, m));
  }

  @Test
  void should_refuse_a_batch_with_a_non_finite_vector_before_the_store_sees_it() {
    RecordingProvider p = new RecordingProvider();
    try (VectorCollection c = VectorCollection.create(dir.resolve("c"), p, FP, Map.of())) {
      Item good = item("good", Modality.TEXT, 1, 2, 3, 4);
      Item bad = item("bad", Modality.TEXT, 1, Float.NaN, 3, 4);
      assertThatThrownBy(() -> c.upsert(List.of(good, bad)))
          .isInstanceOf(NonFiniteVectorException.class)
          .hasMessage(
              "Write of record 'bad': component 1 of the vector is NaN; vectors must be finite. "
                  + "Check the encoder's input and output for this item.");
      assertThat(p.store.batches).as("batches the store was handed").isEmpty();
      assertThat(c.count()).as("a batch with one bad vector writes nothing").isZero();
    }
  }

  @Test
  void should_refuse_an_unknown_setting_naming_the_known_ones() {
    RecordingProvider p = new RecordingProvider();
    assertThatThrownBy(
            () -> VectorCollection.create(dir.resolve("c"), p, FP, Map.of("no-such-setting", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "The 'recording' store has no setting 'no-such-setting'. Known settings: [depth].");
  }

  @Test
  void should_hand_the_store_each_id_of_a_batch_once_keeping_the_last_record() {
    RecordingProvider p = new RecordingProvider();
    try (VectorCollection c = VectorCollection.create(dir.resolve("c"), p, FP, Map.of())) {
      Item first = item("dup", Modality.TEXT, 1, 0, 0, 0).with("n", "1");
      Item other = item("other", Modality.TEXT, 0, 1, 0, 0);
      Item last = item("dup", Modality.IMAGE, 0, 0, 1, 0).with("n", "2");
      c.upsert(List.of(first, other, last));
      assertThat(p.store.batches)
          .as("the VectorStore#upsert javadoc: a batch holds each id at most once")
          .containsExactly(List.of(other, last));
      assertThat(c.count()).isEqualTo(2);
      assertThat(c.get("dup")).contains(last);
    }
  }
}
