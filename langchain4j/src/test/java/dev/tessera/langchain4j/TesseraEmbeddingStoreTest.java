package dev.tessera.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.MetadataFilterBuilder;
import dev.tessera.api.DimensionMismatchException;
import dev.tessera.api.FingerprintMismatchException;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.langchain4j.TesseraEmbeddingStore.CommitPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the adapter adds to LangChain4j's suites: the guard, commits, scores, foreign records. */
class TesseraEmbeddingStoreTest {
  @TempDir Path tmp;
  private final WordEncoder encoder = new WordEncoder("v1");
  private final TesseraEmbeddingModel model = TesseraEmbeddingModel.of(encoder);

  private VectorCollection create() {
    return create("memory");
  }

  private VectorCollection create(String storeName) {
    return VectorCollection.create(tmp.resolve("c"), storeName, encoder.fingerprint());
  }

  private VectorCollection reopen() {
    return VectorCollection.open(tmp.resolve("c"), encoder.fingerprint());
  }

  private List<EmbeddingMatch<TextSegment>> search(TesseraEmbeddingStore store, String text) {
    return store
        .search(
            EmbeddingSearchRequest.builder()
                .queryEmbedding(model.embed(text).content())
                .maxResults(10)
                .build())
        .matches();
  }

  @Test
  void a_model_of_another_fingerprint_is_refused_naming_both() {
    try (VectorCollection c = create()) {
      TesseraEmbeddingModel other = TesseraEmbeddingModel.of(new WordEncoder("v2"));

      assertThatThrownBy(() -> TesseraEmbeddingStore.builder(c).embeddingModel(other))
          .isInstanceOf(FingerprintMismatchException.class)
          .hasMessageContaining("model digest differs")
          .hasMessageContaining(c.directory().toString());
      assertThat(TesseraEmbeddingStore.builder(c).embeddingModel(model).build().fingerprint())
          .isEqualTo(c.fingerprint());
    }
  }

  @Test
  void a_vector_of_another_dimension_is_refused_at_the_collection_gate() {
    try (VectorCollection c = create()) {
      TesseraEmbeddingStore store = TesseraEmbeddingStore.of(c);

      assertThatThrownBy(() -> store.add(new Embedding(new float[] {1, 0, 0})))
          .isInstanceOf(DimensionMismatchException.class)
          .hasMessageContaining("3 dimensions");
      assertThat(c.count()).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "lucene", "jvector"})
  void every_write_policy_makes_each_add_and_remove_durable_without_a_commit(String storeName) {
    String id;
    try (VectorCollection c = create(storeName)) {
      TesseraEmbeddingStore store = TesseraEmbeddingStore.of(c);
      id = store.add(model.embed("a cat").content(), TextSegment.from("a cat"));
      store.add("gone", model.embed("a dog").content());
      store.remove("gone");
    }
    try (VectorCollection c = reopen()) {
      assertThat(c.get(id)).isPresent();
      assertThat(c.get("gone")).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "lucene", "jvector"})
  void manual_policy_shows_writes_at_once_and_keeps_them_only_after_commit(String storeName) {
    try (VectorCollection c = create(storeName)) {
      TesseraEmbeddingStore store =
          TesseraEmbeddingStore.builder(c).commitPolicy(CommitPolicy.MANUAL).build();
      store.add("kept", model.embed("a cat").content());
      store.commit();
      store.add("lost", model.embed("a dog").content());
      store.remove("kept");

      assertThat(search(store, "a dog"))
          .extracting(EmbeddingMatch::embeddingId)
          .containsExactly("lost");
    }
    try (VectorCollection c = reopen()) {
      assertThat(c.get("kept")).isPresent();
      assertThat(c.get("lost")).isEmpty();
    }
  }

  @Test
  void scores_are_relevance_and_min_score_is_inclusive() {
    try (VectorCollection c = create()) {
      TesseraEmbeddingStore store = TesseraEmbeddingStore.of(c);
      Embedding cat = model.embed("a cat").content();
      store.add("cat", cat);
      store.add("opposite", new Embedding(negate(cat.vector())));

      List<EmbeddingMatch<TextSegment>> all = search(store, "a cat");
      assertThat(all).extracting(EmbeddingMatch::embeddingId).containsExactly("cat", "opposite");
      assertThat(all.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(all.get(1).score()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-6));

      double top = all.get(0).score();
      List<EmbeddingMatch<TextSegment>> atTop =
          store
              .search(EmbeddingSearchRequest.builder().queryEmbedding(cat).minScore(top).build())
              .matches();
      assertThat(atTop).extracting(EmbeddingMatch::embeddingId).containsExactly("cat");
    }
  }

  @Test
  void image_records_of_the_collection_come_back_without_a_segment_and_remove_all_removes_them()
      throws Exception {
    try (VectorCollection c = create()) {
      TesseraEmbeddingStore store = TesseraEmbeddingStore.of(c);
      c.upsert(Item.image("img", "photos/cat.jpg", encoder.embedImage(Path.of("photos/cat.jpg"))));
      store.add(
          model.embed("a cat").content(),
          TextSegment.from("a cat", new Metadata(Map.of("page", 3))));

      List<EmbeddingMatch<TextSegment>> hits = search(store, "cat");
      assertThat(hits).hasSize(2);
      assertThat(hits)
          .filteredOn(m -> m.embeddingId().equals("img"))
          .singleElement()
          .satisfies(m -> assertThat(m.embedded()).isNull());
      assertThat(hits)
          .filteredOn(m -> !m.embeddingId().equals("img"))
          .singleElement()
          .satisfies(m -> assertThat(m.embedded().metadata().getInteger("page")).isEqualTo(3));

      store.removeAll();
      assertThat(c.count()).isZero();
    }
  }

  @Test
  void a_text_only_store_never_returns_nor_removes_the_collections_images() {
    try (VectorCollection c = create()) {
      TesseraEmbeddingStore store =
          TesseraEmbeddingStore.builder(c).modalities(Modality.TEXT).build();
      c.upsert(Item.image("img", "photos/cat.jpg", encoder.embedImage(Path.of("photos/cat.jpg"))));
      String text = store.add(model.embed("a cat").content(), TextSegment.from("a cat"));

      assertThat(search(store, "cat"))
          .extracting(EmbeddingMatch::embeddingId)
          .containsExactly(text);

      store.removeAll(MetadataFilterBuilder.metadataKey("page").isNotEqualTo(1));
      assertThat(c.get("img")).isPresent();
      assertThat(c.get(text)).isEmpty();
      store.add("t2", model.embed("a dog").content());
      store.removeAll();
      assertThat(c.count()).isEqualTo(1);
    }
  }

  @Test
  void positional_lists_of_different_sizes_are_refused_with_both_sizes() {
    try (VectorCollection c = create()) {
      TesseraEmbeddingStore store = TesseraEmbeddingStore.of(c);
      Embedding e = model.embed("x").content();

      assertThatThrownBy(() -> store.addAll(List.of("a", "b"), List.of(e), null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("ids and embeddings must have the same size, got 2 ids and 1 embeddings.");
      assertThatThrownBy(
              () -> store.addAll(List.of(e), List.of(TextSegment.from("x"), TextSegment.from("y"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("got 1 embeddings and 2 segments");
      assertThat(c.count()).isZero();
    }
  }

  private static float[] negate(float[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = -v[i];
    return out;
  }
}
