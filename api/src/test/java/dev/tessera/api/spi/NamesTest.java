package dev.tessera.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
  private static final List<String> STORES = List.of("jvector", "lucene", "memory", "cassandra");

  @Test
  void should_suggest_a_near_name_and_nothing_for_a_far_one() {
    assertThat(Names.nearest("lucen", STORES)).isEqualTo("lucene");
    assertThat(Names.nearest("Lucene", STORES)).as("case is not a typo").isNull();
    assertThat(Names.nearest("jvectr", STORES)).isEqualTo("jvector");
    assertThat(Names.nearest("mmeory", STORES))
        .as("a transposition is one edit")
        .isEqualTo("memory");
    assertThat(Names.nearest("postgres", STORES)).isNull();
    assertThat(Names.nearest("", STORES)).isNull();
    assertThat(Names.distance("kitten", "sitting")).isEqualTo(3);
  }
}
