package dev.tessera.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.spi.MetadataCodec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetadataTest {
  @Test
  void should_keep_four_value_types_and_widen_ints_and_floats_exactly() {
    Metadata m =
        Metadata.EMPTY
            .with("s", "text")
            .with("i", Integer.MIN_VALUE)
            .with("l", Long.MAX_VALUE)
            .with("f", Float.MIN_VALUE)
            .with("d", 4.9E-324)
            .with("b", true)
            .with("short", (short) 7);
    assertThat(m.get("i")).isEqualTo((long) Integer.MIN_VALUE);
    assertThat(m.get("f")).isEqualTo((double) Float.MIN_VALUE);
    assertThat((float) (double) m.getDouble("f")).isEqualTo(Float.MIN_VALUE);
    assertThat(m.getLong("l")).isEqualTo(Long.MAX_VALUE);
    assertThat(m.getDouble("d")).isEqualTo(4.9E-324);
    assertThat(m.getBoolean("b")).isTrue();
    assertThat(m.getLong("short")).isEqualTo(7L);
    assertThat(m.keys()).containsExactly("b", "d", "f", "i", "l", "s", "short");
    assertThat(m.typeOf("s")).isEqualTo(MetadataType.STRING);
    assertThat(m.typeOf("missing")).isNull();
  }

  @Test
  void should_refuse_other_types_non_finite_numbers_and_bad_keys_naming_the_fix() {
    assertThatThrownBy(() -> Metadata.of("id", UUID.randomUUID()))
        .hasMessageContaining("Metadata value for key 'id' is a java.util.UUID")
        .hasMessageContaining("as its String form");
    assertThatThrownBy(() -> Metadata.of("x", Double.NaN))
        .hasMessage("Metadata value for key 'x' is NaN; numbers must be finite.");
    assertThatThrownBy(() -> Metadata.of("x", Float.POSITIVE_INFINITY))
        .hasMessageContaining("is Infinity");
    assertThatThrownBy(() -> Metadata.of("", "v")).hasMessageContaining("keys must have 1 to 128");
    assertThat(Metadata.of("a\tb", "v").get("a\tb")).as("any well-formed key").isEqualTo("v");
    assertThatThrownBy(() -> Metadata.of("k", "x".repeat(4097))).hasMessageContaining("4097");
    assertThatThrownBy(() -> Metadata.of("s", 1).getString("s"))
        .isInstanceOf(ClassCastException.class)
        .hasMessage("Metadata key 's' holds a long (1), not a string.");
  }

  @Test
  void should_compare_by_value_and_read_back_its_own_map_view_without_a_copy() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("b", 2);
    in.put("a", "x");
    Metadata m = Metadata.of(in);
    assertThat(m).isEqualTo(Metadata.EMPTY.with("a", "x").with("b", 2L));
    assertThat(Metadata.of(m.asMap())).isSameAs(m);
    assertThat(m.asMap()).containsExactly(Map.entry("a", "x"), Map.entry("b", 2L));
    assertThat(m.without("a")).isEqualTo(Metadata.of("b", 2L));
    assertThat(m.toString()).isEqualTo("{a=\"x\", b=2}");
  }

  @Test
  void should_round_trip_every_type_and_edge_value_through_the_codec() throws IOException {
    Metadata m =
        Metadata.EMPTY
            .with("empty", "")
            .with("space", " ")
            .with("cjk", "東京")
            .with("emoji", "\uD83D\uDE00")
            .with("min", Long.MIN_VALUE)
            .with("big", 1746714878034235396L)
            .with("negzero", -0.0)
            .with("max", Double.MAX_VALUE)
            .with("no", false);
    byte[] bytes = MetadataCodec.toBytes(m);
    Metadata back = MetadataCodec.fromBytes(bytes, 0, bytes.length);
    assertThat(back).isEqualTo(m);
    assertThat(Double.doubleToRawLongBits(back.getDouble("negzero")))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThatThrownBy(() -> MetadataCodec.fromBytes(bytes, 0, bytes.length - 1))
        .isInstanceOf(IOException.class);
  }
}
