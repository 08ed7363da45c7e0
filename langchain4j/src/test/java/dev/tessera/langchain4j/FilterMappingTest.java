package dev.tessera.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.tessera.api.Condition;
import dev.tessera.api.Metadata;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each LangChain4j filter becomes the Tessera condition of the README's table. */
class FilterMappingTest {

  private static String text(Filter f) {
    return FilterMapping.toCondition(f).toString();
  }

  @Test
  void comparisons_map_one_to_one() {
    assertThat(text(metadataKey("a").isEqualTo("x"))).isEqualTo("a = \"x\"");
    assertThat(text(metadataKey("a").isNotEqualTo(1))).isEqualTo("a != 1");
    assertThat(text(metadataKey("a").isGreaterThan(1L))).isEqualTo("a > 1");
    assertThat(text(metadataKey("a").isGreaterThanOrEqualTo(0.5f))).isEqualTo("a >= 0.5");
    assertThat(text(metadataKey("a").isLessThan(2.5))).isEqualTo("a < 2.5");
    assertThat(text(metadataKey("a").isLessThanOrEqualTo("m"))).isEqualTo("a <= \"m\"");
  }

  @Test
  void sets_and_logic_map_one_to_one_and_uuids_compare_as_their_text() {
    UUID u = UUID.fromString("00000000-0000-0000-0000-000000000001");
    assertThat(
            text(
                metadataKey("id").isIn(u, UUID.fromString("00000000-0000-0000-0000-000000000002"))))
        .isEqualTo(
            "id in (\"00000000-0000-0000-0000-000000000001\","
                + " \"00000000-0000-0000-0000-000000000002\")");
    assertThat(text(metadataKey("n").isNotIn(List.of(1, 2)))).isEqualTo("n not in (1, 2)");
    Filter f =
        metadataKey("a")
            .isEqualTo(1)
            .and(metadataKey("b").isEqualTo(2).or(Filter.not(metadataKey("c").isEqualTo(3))));
    assertThat(text(f)).isEqualTo("a = 1 and (b = 2 or not (c = 3))");
  }

  @Test
  void the_condition_matches_what_langchain4j_matches_including_missing_keys() {
    Condition ne = FilterMapping.toCondition(metadataKey("k").isNotEqualTo("v"));
    Condition eq = FilterMapping.toCondition(metadataKey("k").isEqualTo(Float.MIN_VALUE));
    Metadata without = Metadata.of("other", "v");

    assertThat(ne.matches(without)).isTrue();
    assertThat(eq.matches(without)).isFalse();
    assertThat(
            eq.matches(
                MetadataMapping.toTessera(
                    new dev.langchain4j.data.document.Metadata(Map.of("k", Float.MIN_VALUE)))))
        .isTrue();
  }

  @Test
  void contains_string_is_refused_as_unsupported_naming_the_key() {
    assertThatThrownBy(() -> FilterMapping.toCondition(metadataKey("title").containsString("cat")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("containsString (key 'title')");
  }
}
