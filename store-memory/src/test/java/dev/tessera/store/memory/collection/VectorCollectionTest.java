package dev.tessera.store.memory.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.ClosedException;
import dev.tessera.api.DimensionMismatchException;
import dev.tessera.api.Embedding;
import dev.tessera.api.FingerprintMismatchException;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.NonFiniteVectorException;
import dev.tessera.api.NotNormalizedException;
import dev.tessera.api.Query;
import dev.tessera.api.Similarity;
import dev.tessera.api.Source;
import dev.tessera.api.TesseraException;
import dev.tessera.api.UnknownProviderException;
import dev.tessera.api.ZeroVectorException;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.VectorStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The api driven end to end on the exact {@code memory} store: CRUD, filters, the fingerprint gate,
 * bad vectors.
 */
class VectorCollectionTest {
  /** Two checkpoints with the same name and dimension: only the digest tells them apart. */
  static final ModelFingerprint CLIP_A =
      ModelFingerprint.of(
          "openai/clip-vit-base-patch32", 4, Similarity.COSINE, true, "1".repeat(64));

  static final ModelFingerprint CLIP_B =
      ModelFingerprint.of(
          "openai/clip-vit-base-patch32", 4, Similarity.COSINE, true, "2".repeat(64));

  @TempDir Path tmp;

  static Embedding text(ModelFingerprint fp, float... v) {
    return Embedding.text(unit(v), fp);
  }

  static Embedding image(ModelFingerprint fp, float... v) {
    return Embedding.image(unit(v), fp);
  }

  static float[] unit(float[] v) {
    double s = 0;
    for (float x : v) s += x * x;
    float[] u = new float[v.length];
    for (int i = 0; i < v.length; i++) u[i] = (float) (v[i] / Math.sqrt(s));
    return u;
  }

  private VectorCollection newCollection() {
    return VectorCollection.create(tmp.resolve("c.tessera"), "memory", CLIP_A);
  }

  @Test
  void should_store_replace_delete_and_search_both_modalities() {
    try (VectorCollection c = newCollection()) {
      c.upsert(
          List.of(
              Item.image("cat.jpg", "/photos/cat.jpg", image(CLIP_A, 1, 0, 0, 0))
                  .with("album", "home"),
              Item.image("dog.jpg", "/photos/dog.jpg", image(CLIP_A, 0, 1, 0, 0))
                  .with("album", "park"),
              Item.text("note-1", "a cat asleep on a red sofa", text(CLIP_A, 0.9f, 0.1f, 0, 0))));
      assertThat(c.count()).isEqualTo(3);

      List<Hit> hits = c.search(text(CLIP_A, 1, 0.05f, 0, 0), 10);
      assertThat(hits).extracting(Hit::id).containsExactly("cat.jpg", "note-1", "dog.jpg");
      assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
      assertThat(hits.get(0).source()).isEqualTo(Source.image("/photos/cat.jpg"));
      assertThat(hits.get(1).source()).isEqualTo(Source.text("a cat asleep on a red sofa"));

      List<Hit> images =
          c.search(Query.of(text(CLIP_A, 1, 0.05f, 0, 0)).k(10).only(Modality.IMAGE));
      assertThat(images).extracting(Hit::id).containsExactly("cat.jpg", "dog.jpg");
      List<Hit> park = c.search(Query.of(text(CLIP_A, 1, 0, 0, 0)).where("album", "park"));
      assertThat(park).extracting(Hit::id).containsExactly("dog.jpg");

      c.upsert(Item.image("cat.jpg", "/photos/cat2.jpg", image(CLIP_A, 0, 0, 1, 0)));
      assertThat(c.get("cat.jpg"))
          .get()
          .satisfies(
              i -> {
                assertThat(i.source()).isEqualTo(Source.image("/photos/cat2.jpg"));
                assertThat(i.metadata().isEmpty()).isTrue();
              });
      assertThat(c.search(image(CLIP_A, 0, 0, 1, 0), 1))
          .extracting(Hit::id)
          .containsExactly("cat.jpg");

      c.delete("dog.jpg", "never-there");
      assertThat(c.count()).isEqualTo(2);
      assertThat(c.get("dog.jpg")).isEmpty();
      assertThat(c.search(image(CLIP_A, 0, 1, 0, 0), 10))
          .extracting(Hit::id)
          .doesNotContain("dog.jpg");
      assertThat(c.countByModality())
          .containsEntry(Modality.IMAGE, 1L)
          .containsEntry(Modality.TEXT, 1L);
    }
  }

  @Test
  void should_refuse_another_checkpoint_with_the_same_name_and_dimension_on_write_query_and_open() {
    Path dir = tmp.resolve("c.tessera");
    try (VectorCollection c = VectorCollection.create(dir, "memory", CLIP_A)) {
      c.upsert(Item.of("a", text(CLIP_A, 1, 0, 0, 0)));
      assertThatThrownBy(() -> c.upsert(Item.of("b", text(CLIP_B, 1, 0, 0, 0))))
          .isInstanceOf(FingerprintMismatchException.class)
          .hasMessageStartingWith(
              "Model fingerprint mismatch on write of record 'b': model digest differs.")
          .hasMessageContaining("sha256:111111111111")
          .hasMessageContaining("sha256:222222222222")
          .hasMessageContaining("reindex");
      assertThatThrownBy(() -> c.search(text(CLIP_B, 1, 0, 0, 0), 5))
          .isInstanceOf(FingerprintMismatchException.class)
          .hasMessageStartingWith("Model fingerprint mismatch on query: model digest differs.");
      c.commit();
      assertThat(c.count()).isEqualTo(1);
    }
    assertThatThrownBy(() -> VectorCollection.open(dir, CLIP_B))
        .isInstanceOf(FingerprintMismatchException.class)
        .hasMessageStartingWith(
            "Model fingerprint mismatch on open of collection "
                + dir.toAbsolutePath()
                + ": model digest differs.");
    try (VectorCollection c = VectorCollection.open(dir, CLIP_A)) {
      assertThat(c.count()).isEqualTo(1);
    }
  }

  @Test
  void should_write_nothing_from_a_batch_holding_one_nan_vector() {
    Path dir = tmp.resolve("c.tessera");
    try (VectorCollection c = VectorCollection.create(dir, "memory", CLIP_A)) {
      c.upsert(Item.of("keep", text(CLIP_A, 1, 0, 0, 0)));
      c.commit();
      List<Item> batch = new ArrayList<>();
      for (int i = 0; i < 10; i++) batch.add(Item.of("new-" + i, text(CLIP_A, 1, i, 0, 0)));
      batch.add(5, Item.of("bad", Embedding.text(new float[] {Float.NaN, 0, 0, 0}, CLIP_A)));
      assertThatThrownBy(() -> c.upsert(batch))
          .isInstanceOf(NonFiniteVectorException.class)
          .hasMessageStartingWith("Write of record 'bad': component 0 of the vector is NaN");
      assertThat(c.count()).isEqualTo(1);
      assertThat(c.get("new-0")).isEmpty();
      c.commit();
    }
    try (VectorCollection c = VectorCollection.open(dir)) {
      assertThat(c.count()).isEqualTo(1);
    }
  }

  @Test
  void should_refuse_each_kind_of_bad_vector_with_its_own_exception() {
    try (VectorCollection c = newCollection()) {
      assertThatThrownBy(
              () -> c.upsert(Item.of("d", Embedding.text(new float[] {1, 0, 0}, CLIP_A))))
          .isInstanceOf(DimensionMismatchException.class)
          .hasMessageContaining("has 3 dimensions");
      assertThatThrownBy(() -> c.upsert(Item.of("z", Embedding.text(new float[4], CLIP_A))))
          .isInstanceOf(ZeroVectorException.class);
      assertThatThrownBy(
              () -> c.upsert(Item.of("n", Embedding.text(new float[] {2, 0, 0, 0}, CLIP_A))))
          .isInstanceOf(NotNormalizedException.class);
      assertThatThrownBy(
              () ->
                  c.search(
                      Embedding.text(new float[] {0, Float.POSITIVE_INFINITY, 0, 0}, CLIP_A), 3))
          .isInstanceOf(NonFiniteVectorException.class);
      assertThat(c.count()).isZero();
    }
  }

  @Test
  void should_keep_the_last_record_when_a_batch_repeats_an_id_and_ignore_an_empty_batch() {
    try (VectorCollection c = newCollection()) {
      c.upsert(List.of());
      c.upsert(
          List.of(
              Item.text("x", "first", text(CLIP_A, 1, 0, 0, 0)),
              Item.text("x", "last", text(CLIP_A, 0, 1, 0, 0))));
      assertThat(c.count()).isEqualTo(1);
      assertThat(c.get("x").orElseThrow().source()).isEqualTo(Source.text("last"));
    }
  }

  @Test
  void should_keep_committed_writes_across_reopen_and_drop_uncommitted_ones() {
    Path dir = tmp.resolve("c.tessera");
    try (VectorCollection c = VectorCollection.create(dir, "memory", CLIP_A)) {
      c.upsert(Item.text("kept", "hello", text(CLIP_A, 1, 0, 0, 0)).with("k", "v"));
      c.commit();
      c.upsert(Item.of("lost", text(CLIP_A, 0, 1, 0, 0)));
    }
    try (VectorCollection c = VectorCollection.open(dir)) {
      assertThat(c.count()).isEqualTo(1);
      Item kept = c.get("kept").orElseThrow();
      assertThat(kept.metadata().asMap()).containsExactly(Map.entry("k", "v"));
      assertThat(kept.embedding()).isEqualTo(text(CLIP_A, 1, 0, 0, 0));
      assertThat(c.fingerprint()).isEqualTo(CLIP_A);
      assertThat(c.fingerprint().name()).isEqualTo(CLIP_A.name());
    }
  }

  @Test
  void should_throw_after_close_and_allow_a_second_close() {
    VectorCollection c = newCollection();
    c.close();
    assertThatCode(c::close).doesNotThrowAnyException();
    assertThatThrownBy(c::count)
        .isInstanceOf(ClosedException.class)
        .hasMessage(
            "The collection in "
                + tmp.resolve("c.tessera").toAbsolutePath()
                + " is closed; open it again to use it.");
    assertThatThrownBy(() -> c.search(text(CLIP_A, 1, 0, 0, 0), 1))
        .isInstanceOf(ClosedException.class);
  }

  @Test
  void should_refuse_writes_on_a_read_only_collection() {
    Path dir = tmp.resolve("c.tessera");
    newCollection().close();
    try (VectorCollection c = VectorCollection.openReadOnly(dir, CLIP_A)) {
      assertThatThrownBy(() -> c.upsert(Item.of("a", text(CLIP_A, 1, 0, 0, 0))))
          .isInstanceOf(TesseraException.class)
          .hasMessageContaining("was opened read-only");
    }
  }

  @Test
  void should_name_the_available_stores_when_one_is_unknown() {
    assertThat(VectorStores.names()).contains("memory");
    assertThatThrownBy(() -> VectorCollection.create(tmp.resolve("x"), "nosuchstore", CLIP_A))
        .isInstanceOf(UnknownProviderException.class)
        .hasMessageStartingWith(
            "No vector store called 'nosuchstore' is on the class path. Available: ")
        .hasMessageContaining("memory");
    assertThat(Files.exists(tmp.resolve("x"))).isFalse();
  }

  @Test
  void should_refuse_unknown_store_settings_naming_the_known_ones() {
    assertThatThrownBy(
            () ->
                VectorCollection.create(
                    tmp.resolve("x"), VectorStores.provider("memory"), CLIP_A, Map.of("m", "16")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The 'memory' store has no setting 'm'. Known settings: none.");
  }
}
