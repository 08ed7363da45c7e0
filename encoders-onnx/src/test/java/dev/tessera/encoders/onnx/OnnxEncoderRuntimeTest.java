package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.spi.TesseraRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ONNX Runtime part of Tessera's start-up line. */
class OnnxEncoderRuntimeTest {
  static final String PART =
      "onnxruntime \\d+\\.\\d+\\.\\d+ \\((CPU|GPU) build, [a-z]+-[a-z0-9_]+, CPU execution"
          + " provider\\)";

  @Test
  void should_name_the_build_version_platform_and_execution_provider() {
    assertThat(new OnnxEncoderRuntime().describe())
        .matches(
            "\\d+\\.\\d+\\.\\d+ \\((CPU|GPU) build, [a-z]+-[a-z0-9_]+, CPU execution provider\\)");
  }

  @Test
  void should_be_part_of_the_one_start_up_line() {
    assertThat(TesseraRuntime.describe()).containsPattern("; " + PART);
  }

  @Test
  void should_describe_without_loading_the_native_library() throws Exception {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) return; // only Linux can tell; the line itself is tested above
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    DescribeRuntimeMain.class.getName()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .containsPattern("line kernels [^\\n]*; " + PART)
        .contains("native-loaded false");
  }
}
