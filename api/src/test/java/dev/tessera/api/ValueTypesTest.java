package dev.tessera.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueTypesTest {
  private static final ModelFingerprint FP =
      ModelFingerprint.of("m", 3, Similarity.COSINE, false, "c".repeat(64));

  @Test
  void embedding_copies_its_array_in_and_out() {
    float[] v = {1, 2, 3};
    Embedding e = Embedding.text(v, FP);
    v[0] = 99;
    assertThat(e.get(0)).isEqualTo(1f);
    e.vector()[1] = 99;
    assertThat(e.get(1)).isEqualTo(2f);
  }

  @Test
  void item_copies_and_sorts_metadata_and_refuses_bad_ids() {
    Map<String, Object> meta = new HashMap<>(Map.of("b", "2", "a", 1));
    Item item =
        new Item("x", Embedding.image(new float[] {1, 0, 0}, FP), meta, Source.image("x.jpg"));
    meta.put("c", "3");
    assertThat(item.metadata().asMap()).containsExactly(Map.entry("a", 1L), Map.entry("b", "2"));
    assertThatThrownBy(() -> Item.of("", item.embedding()))
        .hasMessage("A record id must not be empty.");
    assertThatThrownBy(() -> Item.of("a\nb", item.embedding()))
        .hasMessageContaining("control characters");
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("k", null);
    assertThatThrownBy(() -> Metadata.of(nullValue))
        .hasMessageContaining("Metadata value for key 'k' is null");
    assertThatThrownBy(() -> Item.of("cut\uD83D", item.embedding()))
        .hasMessageContaining("lone UTF-16 surrogate (\\uD83D) at index 3");
    assertThatThrownBy(() -> item.with("k", "\uDE00x"))
        .hasMessageContaining("Metadata value for key 'k' holds a lone UTF-16 surrogate");
    assertThatThrownBy(() -> Source.text("a\uD800"))
        .hasMessageContaining("A text source holds a lone UTF-16 surrogate");
    assertThat(Item.of("emoji \uD83D\uDE00", item.embedding()).id()).endsWith("\uD83D\uDE00");
  }

  @Test
  void source_encodes_and_decodes_every_kind() {
    for (Source s :
        new Source[] {
          Source.text("a cat: asleep"),
          Source.image("/photos/cat.jpg"),
          Source.NONE,
          Source.text("")
        }) {
      assertThat(Source.decode(s.encode())).isEqualTo(s);
    }
    assertThat(Source.NONE.isPresent()).isFalse();
    assertThatThrownBy(() -> Source.decode("video:x"))
        .hasMessageContaining("Not an encoded source");
  }

  @Test
  void query_bounds_k_and_builds_filters() {
    Query q =
        Query.of(Embedding.text(new float[] {1, 0, 0}, FP))
            .k(5)
            .only(Modality.IMAGE)
            .where("album", "2024");
    assertThat(q.k()).isEqualTo(5);
    assertThat(q.filter().modalities()).containsExactly(Modality.IMAGE);
    assertThat(q.filter().text()).isEqualTo("album = \"2024\"");
    assertThat(q.ranking()).isEqualTo(Hit.Ranking.CALIBRATED);
    assertThatThrownBy(() -> q.k(0)).hasMessage("k must be between 1 and 10000, got 0.");
    assertThatThrownBy(() -> q.k(-3)).hasMessage("k must be between 1 and 10000, got -3.");
    assertThatThrownBy(() -> Filter.of(Set.of(), null))
        .hasMessageContaining("at least one modality");
  }

  @Test
  void filter_matches_modality_and_every_metadata_entry() {
    Filter f = Filter.where("a").eq("1").and(Filter.where("b").eq("2")).only(Modality.TEXT);
    assertThat(f.matches(Modality.TEXT, Metadata.of(Map.of("a", "1", "b", "2", "c", "3"))))
        .isTrue();
    assertThat(f.matches(Modality.TEXT, Metadata.of("a", "1"))).isFalse();
    assertThat(f.matches(Modality.IMAGE, Metadata.of(Map.of("a", "1", "b", "2")))).isFalse();
    assertThat(Filter.ALL.isAll()).isTrue();
  }

  @Test
  void hits_order_best_first_then_by_id() {
    Hit a = new Hit("a", 0.5f, Modality.TEXT, Metadata.EMPTY, null);
    Hit b = new Hit("b", 0.5f, Modality.TEXT, Metadata.EMPTY, null);
    Hit c = new Hit("c", 0.9f, Modality.TEXT, Metadata.EMPTY, null);
    Hit z = new Hit("z", -0.0f, Modality.TEXT, Metadata.EMPTY, null);
    Hit y = new Hit("y", 0.0f, Modality.TEXT, Metadata.EMPTY, null);
    assertThat(java.util.stream.Stream.of(b, z, a, y, c).sorted(Hit.ORDER).map(Hit::id))
        .containsExactly("c", "a", "b", "y", "z");
  }

  @Test
  void parsers_name_the_bad_value_and_the_choices() {
    assertThatThrownBy(() -> Similarity.parse("manhattan"))
        .hasMessage("Unknown similarity 'manhattan': use 'cosine', 'dot' or 'euclidean'.");
    assertThatThrownBy(() -> Modality.parse("video"))
        .hasMessage("Unknown modality 'video': use 'text' or 'image'.");
    assertThat(Modality.parse("Images")).isEqualTo(Modality.IMAGE);
  }
}
