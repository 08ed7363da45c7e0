package dev.tessera.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterTest {
  private static final Metadata PHOTO =
      Metadata.of(Map.of("year", 2024L, "album", "a", "rating", 4.5, "public", true));
  private static final Metadata BARE = Metadata.EMPTY;

  private static boolean matches(String text, Metadata m) {
    return Filter.parse(text).matches(Modality.IMAGE, m);
  }

  @Test
  void should_compare_numbers_across_long_and_double_exactly() {
    assertThat(matches("year = 2024.0", PHOTO)).isTrue();
    assertThat(matches("year >= 2024", PHOTO)).isTrue();
    assertThat(matches("year > 2023.999", PHOTO)).isTrue();
    assertThat(matches("year < 2024.0000001", PHOTO)).isTrue();
    assertThat(matches("rating >= 4", PHOTO)).isTrue();
    assertThat(matches("rating < 4.5", PHOTO)).isFalse();
    assertThat(Values.compareExact(9007199254740993L, 9007199254740992.0)).isPositive();
    assertThat(Values.compareExact(Long.MAX_VALUE, 0x1p63)).isNegative();
    assertThat(Values.compareExact(Long.MIN_VALUE, -0x1p63)).isZero();
    assertThat(Values.equal(-0.0, 0.0)).isTrue();
    assertThat(Values.equal(0L, -0.0)).isTrue();
  }

  @Test
  void should_compare_strings_by_code_point_and_never_across_types() {
    assertThat(matches("album = \"a\"", PHOTO)).isTrue();
    assertThat(matches("album = \"A\"", PHOTO)).isFalse();
    assertThat(matches("album = \"a \"", PHOTO)).isFalse();
    assertThat(matches("album < \"b\"", PHOTO)).isTrue();
    assertThat(matches("year = \"2024\"", PHOTO)).isFalse();
    assertThat(matches("album = 1", PHOTO)).isFalse();
    assertThat(matches("public = true", PHOTO)).isTrue();
    assertThat(matches("public = 1", PHOTO)).isFalse();
    // U+FF5E sorts before U+1F600 by code point, after it by UTF-16 unit
    assertThat(Values.compareCodePoints("\uFF5E", "\uD83D\uDE00")).isNegative();
  }

  @Test
  void should_match_negations_where_the_key_is_missing_and_positives_never() {
    for (String positive : List.of("year = 1", "year < 1", "year >= 0", "year in (1, 2)")) {
      assertThat(matches(positive, BARE)).as(positive).isFalse();
    }
    for (String negative :
        List.of("year != 1", "year not in (1, 2)", "not (year = 1)", "missing(year)")) {
      assertThat(matches(negative, BARE)).as(negative).isTrue();
    }
    assertThat(matches("exists(year)", PHOTO)).isTrue();
    assertThat(matches("year != \"2024\"", PHOTO)).as("another type is not equal").isTrue();
  }

  @Test
  void should_combine_with_and_or_not_by_precedence() {
    assertThat(matches("year >= 2024 and album in (\"a\", \"b\")", PHOTO)).isTrue();
    assertThat(matches("year < 2000 or album = \"a\" and rating > 4", PHOTO)).isTrue();
    assertThat(matches("(year < 2000 or album = \"a\") and rating > 5", PHOTO)).isFalse();
    assertThat(matches("not year < 2000 and not album = \"z\"", PHOTO)).isTrue();
    Filter built =
        Filter.where("year").gte(2024).and(Filter.where("album").in("a", "b")).only(Modality.IMAGE);
    assertThat(built.modalities()).containsExactly(Modality.IMAGE);
    assertThat(built.text()).isEqualTo("year >= 2024 and album in (\"a\", \"b\")");
    assertThat(built.matches(Modality.TEXT, PHOTO)).isFalse();
    assertThat(Filter.where("year").lt(2000).or(Filter.where("album").eq("a")).not().text())
        .isEqualTo("not (year < 2000 or album = \"a\")");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "year >= 2024 and album in (\"a\", \"b\")",
        "not (rating < 3.5) or missing(flag)",
        "`odd key!` = \"q\\\"uote\" and `and` != -7",
        "x = 1.0E20 and y = -0.0 and z in (true, 1, 2.5, \"s\")",
        "(a = 1 or b = 2) and not (c = 3 and d = 4)",
        "name = \"東京 \\uD83D\\uDE00\\n\""
      })
  void should_read_back_its_own_canonical_text(String text) {
    Filter f = Filter.parse(text);
    assertThat(Filter.parse(f.text())).isEqualTo(f);
    assertThat(Filter.parse(f.text()).text()).isEqualTo(f.text());
  }

  @Test
  void should_name_the_position_and_what_was_expected_in_a_malformed_filter() {
    assertThatThrownBy(() -> Filter.parse("year >= "))
        .isInstanceOf(FilterSyntaxException.class)
        .hasMessage(
            "Bad filter at position 9 of 'year >= ': Expected a value (a \"string\", a number,"
                + " true or false) but found the end.");
    assertThatThrownBy(() -> Filter.parse("year >= 2024 album = \"a\""))
        .hasMessageStartingWith("Bad filter at position 14")
        .hasMessageContaining("'and', 'or' or the end of the filter");
    assertThatThrownBy(() -> Filter.parse("album in (\"a\", \"b\""))
        .hasMessageContaining("Expected ',' or ')'");
    assertThatThrownBy(() -> Filter.parse("year ~ 3"))
        .hasMessageStartingWith("Bad filter at position 6")
        .hasMessageContaining("an operator");
    assertThatThrownBy(() -> Filter.parse("flag < true"))
        .hasMessageContaining("A range (<) on the boolean true for key 'flag' means nothing");
    assertThatThrownBy(() -> Filter.parse("album = \"open"))
        .hasMessageContaining("a closing \" for the text that starts here");
    assertThatThrownBy(() -> Filter.parse("  ")).hasMessageContaining("The filter is empty");
    FilterSyntaxException e =
        (FilterSyntaxException) catchThrowable(() -> Filter.parse("year >= x"));
    assertThat(e.position()).isEqualTo(8);
    assertThat(e.pointer()).isEqualTo("year >= x\n        ^");
  }

  @Test
  void should_refuse_combinations_that_can_match_nothing_or_mean_two_searches() {
    assertThatThrownBy(() -> Filter.modality(Modality.TEXT).and(Filter.modality(Modality.IMAGE)))
        .hasMessageContaining("no modality in common");
    assertThatThrownBy(
            () -> Filter.where("a").eq(1).only(Modality.TEXT).or(Filter.where("b").eq(2)))
        .hasMessageContaining("'or' joins metadata conditions of filters on the same modalities");
    assertThatThrownBy(() -> Filter.ALL.not()).hasMessageContaining("no metadata condition");
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("no exception");
  }
}
