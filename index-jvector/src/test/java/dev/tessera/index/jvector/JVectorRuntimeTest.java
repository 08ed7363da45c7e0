package dev.tessera.index.jvector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JVectorRuntimeTest {
  @Test
  void names_jvectors_version_and_vector_path() {
    assertThat(JVectorRuntime.version()).as("JVector's version").matches("\\d+\\.\\d+.*");
    assertThat(new JVectorRuntime().describe())
        .startsWith(JVectorRuntime.version() + " (")
        .containsAnyOf("Panama vectors", "native SIMD", "scalar vectors");
  }
}
