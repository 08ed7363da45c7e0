package dev.tessera.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Metadata;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** LangChain4j metadata survives the trip through Tessera's four types exactly. */
class MetadataMappingTest {

  @Test
  void every_langchain4j_type_and_edge_value_round_trips_exactly() {
    UUID uuid = UUID.fromString("3f2b9c1e-7a4d-4e2a-9b1c-0d8e6f5a4b3c");
    Metadata in =
        new Metadata(
            Map.of(
                "empty", "",
                "space", " ",
                "uuid", uuid,
                "intMin", Integer.MIN_VALUE,
                "intMax", Integer.MAX_VALUE,
                "longMin", Long.MIN_VALUE,
                "longBig", 1746714878034235396L,
                "floatMin", Float.MIN_VALUE,
                "floatMax", Float.MAX_VALUE,
                "doubleMin", Double.MIN_VALUE));

    Metadata out = MetadataMapping.toLangChain4j(MetadataMapping.toTessera(in));

    assertThat(out).isEqualTo(in);
    assertThat(out.toMap().get("intMax")).isInstanceOf(Integer.class);
    assertThat(out.toMap().get("longMin")).isInstanceOf(Long.class);
    assertThat(out.toMap().get("floatMin")).isInstanceOf(Float.class);
    assertThat(out.toMap().get("doubleMin")).isInstanceOf(Double.class);
    assertThat(out.getUUID("uuid")).isEqualTo(uuid);
  }

  @Test
  void stored_values_are_tessera_types_with_one_entry_naming_the_narrow_ones() {
    UUID uuid = UUID.randomUUID();
    Metadata in = new Metadata(Map.of("year", 2024, "ratio", 0.5f, "id", uuid, "name", "x"));

    dev.tessera.api.Metadata stored = MetadataMapping.toTessera(in);

    assertThat(stored.getLong("year")).isEqualTo(2024L);
    assertThat(stored.getDouble("ratio")).isEqualTo(0.5);
    assertThat(stored.getString("id")).isEqualTo(uuid.toString());
    assertThat(stored.getString(MetadataMapping.TYPES_KEY)).isEqualTo("u2:idf5:ratioi4:year");
  }

  @Test
  void metadata_of_strings_longs_and_doubles_gets_no_type_entry() {
    dev.tessera.api.Metadata stored =
        MetadataMapping.toTessera(new Metadata(Map.of("a", "x", "b", 1L, "c", 2.5)));

    assertThat(stored.keys()).containsExactly("a", "b", "c");
  }

  @Test
  void the_reserved_key_is_refused_with_its_name() {
    Metadata in = new Metadata(Map.of(MetadataMapping.TYPES_KEY, "x"));

    assertThatThrownBy(() -> MetadataMapping.toTessera(in))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'langchain4j.types' is reserved");
  }

  @Test
  void metadata_written_through_the_tessera_api_reads_by_its_stored_types() {
    dev.tessera.api.Metadata stored =
        dev.tessera.api.Metadata.of(Map.of("n", 7L, "flag", true, "s", "v"));

    Metadata out = MetadataMapping.toLangChain4j(stored);

    assertThat(out.toMap())
        .containsExactlyInAnyOrderEntriesOf(Map.of("n", 7L, "flag", "true", "s", "v"));
  }

  @Test
  void a_type_entry_that_no_longer_fits_its_value_leaves_the_value_as_stored() {
    dev.tessera.api.Metadata stored =
        dev.tessera.api.Metadata.of(
            Map.of(
                "big",
                1L << 40, // tagged int but too big for one
                "d",
                0.1, // tagged float but not a float's value
                "u",
                "not-a-uuid",
                "gone",
                1L,
                MetadataMapping.TYPES_KEY,
                "i3:bigf1:du1:ui7:missing"));

    Metadata out = MetadataMapping.toLangChain4j(stored);

    assertThat(out.toMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("big", 1L << 40, "d", 0.1, "u", "not-a-uuid", "gone", 1L));
  }
}
