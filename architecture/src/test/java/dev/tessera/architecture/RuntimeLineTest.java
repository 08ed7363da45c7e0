package dev.tessera.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.spi.TesseraRuntime;
import org.junit.jupiter.api.Test;

/** The one start-up line names the kernels and what each store library runs on. */
class RuntimeLineTest {
  @Test
  void should_name_the_kernels_and_each_store_librarys_vector_path() {
    String line = TesseraRuntime.describe();
    assertThat(line)
        .startsWith("kernels panama-")
        .containsPattern("lucene 10\\.\\d+\\.\\d+ \\(Panama vectors\\)")
        .containsPattern("jvector [^;]*\\((Panama vectors|its native SIMD library)\\)");
  }
}
