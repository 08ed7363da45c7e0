package dev.tessera.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.spi.TesseraRuntime;
import org.junit.jupiter.api.Test;

/**
 * The one start-up line names the kernels, what each store library runs on and the ONNX Runtime
 * build the encoder uses.
 */
class RuntimeLineTest {
  @Test
  void should_name_the_kernels_each_store_librarys_vector_path_and_the_onnx_runtime_build() {
    String line = TesseraRuntime.describe();
    assertThat(line)
        .startsWith("kernels panama-")
        .containsPattern("lucene 10\\.\\d+\\.\\d+ \\(Panama vectors\\)")
        .containsPattern("jvector [^;]*\\((Panama vectors|its native SIMD library)\\)")
        .containsPattern(
            "onnxruntime \\d+\\.\\d+\\.\\d+ \\((CPU|GPU) build, [a-z]+-[a-z0-9_]+, CPU execution"
                + " provider\\)");
  }
}
