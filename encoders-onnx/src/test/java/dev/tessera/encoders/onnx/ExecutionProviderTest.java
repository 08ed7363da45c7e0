package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.tessera.encoders.onnx.EncoderOptions.ExecutionProvider;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code execution_provider} option: CPU by default; CUDA refused with the fix when this build
 * of ONNX Runtime (the CPU artifact the project depends on) has no CUDA provider, or when the
 * provider cannot start. Running on a GPU is measured by hand on a machine that has one, never
 * here.
 */
class ExecutionProviderTest {
  private static final Path TINY_CLIP = Fixtures.repoModels().resolve("tiny-clip");

  @Test
  void should_default_to_the_cpu_provider() {
    EncoderOptions o = EncoderOptions.parse(Map.of());
    assertThat(o.executionProvider()).isEqualTo(ExecutionProvider.CPU);
    assertThat(o.cudaDevice()).isZero();
    assertThat(new EncoderOptions(8, 1, 1000, false).executionProvider())
        .isEqualTo(ExecutionProvider.CPU);
  }

  @Test
  void should_parse_the_cuda_provider_and_its_device() {
    EncoderOptions o =
        EncoderOptions.parse(Map.of("execution_provider", " CUDA ", "cuda_device", "1"));
    assertThat(o.executionProvider()).isEqualTo(ExecutionProvider.CUDA);
    assertThat(o.cudaDevice()).isEqualTo(1);
  }

  @Test
  void should_refuse_an_unknown_provider_naming_the_known_ones() {
    assertThatThrownBy(() -> EncoderOptions.parse(Map.of("execution_provider", "tpu")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("execution_provider='tpu'")
        .hasMessageContaining("cpu or cuda");
  }

  @Test
  void should_refuse_a_cuda_device_without_the_cuda_provider() {
    assertThatThrownBy(() -> EncoderOptions.parse(Map.of("cuda_device", "2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cuda_device=2")
        .hasMessageContaining("execution_provider=cuda");
  }

  @Test
  void should_refuse_whole_numbers_past_an_int_instead_of_wrapping_them() {
    assertThatThrownBy(() -> EncoderOptions.parse(Map.of("batch_size", "4294967297")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch_size='4294967297'");
  }

  @Test
  void should_name_the_gpu_artifact_when_this_runtime_has_no_cuda_provider() {
    // The project depends on the CPU artifact, whose providers never include CUDA.
    assertThat(OrtEnvironment.getAvailableProviders()).doesNotContain(OrtProvider.CUDA);
    assertThatThrownBy(
            () ->
                OnnxClipEncoder.open(
                    TINY_CLIP, EncoderOptions.parse(Map.of("execution_provider", "cuda"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("execution_provider=cuda")
        .hasMessageContaining("com.microsoft.onnxruntime:onnxruntime_gpu")
        .hasMessageContaining(OrtEnvironment.getEnvironment().getVersion())
        .hasMessageContaining("execution_provider=cpu");
  }

  @Test
  void should_say_what_to_check_when_the_cuda_provider_cannot_start() throws OrtException {
    // As if the GPU build were present: this CPU build then fails to start the provider, the way
    // the GPU build fails without a GPU, driver or CUDA libraries.
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      assertThatThrownBy(
              () ->
                  OrtSessions.addCuda(
                      so, 3, EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA), "1.29.0"))
          .isInstanceOf(OrtException.class)
          .hasMessageContaining("could not start on device 3")
          .hasMessageContaining("nvidia-smi")
          .hasMessageContaining("execution_provider=cpu");
    }
  }
}
