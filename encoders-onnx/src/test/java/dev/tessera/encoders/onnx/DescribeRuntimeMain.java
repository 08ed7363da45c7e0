package dev.tessera.encoders.onnx;

import dev.tessera.api.spi.TesseraRuntime;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child process of {@link OnnxEncoderRuntimeTest}: prints Tessera's start-up line, then whether
 * ONNX Runtime's native library is mapped into the process.
 */
final class DescribeRuntimeMain {
  private DescribeRuntimeMain() {}

  public static void main(String[] args) throws Exception {
    System.out.println("line " + TesseraRuntime.describe());
    System.out.println(
        "native-loaded " + Files.readString(Path.of("/proc/self/maps")).contains("libonnxruntime"));
  }
}
