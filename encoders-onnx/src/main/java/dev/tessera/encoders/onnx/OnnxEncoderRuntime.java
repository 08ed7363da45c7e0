package dev.tessera.encoders.onnx;

import ai.onnxruntime.OrtEnvironment;
import dev.tessera.api.spi.RuntimeComponent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The onnx encoder's part of Tessera's start-up line: which ONNX Runtime build (version, CPU or GPU
 * artifact, the platform whose bundled native library loads) and which execution provider the
 * encoder runs on. Read from the ONNX Runtime jar's metadata, so describing it starts no native
 * code.
 */
public final class OnnxEncoderRuntime implements RuntimeComponent {
  private static final String MAVEN_DIR = "/META-INF/maven/com.microsoft.onnxruntime/";
  private static final Pattern VERSION =
      Pattern.compile("<artifactId>onnxruntime[^<]*</artifactId>\\s*<version>([^<]+)</version>");

  /** For ServiceLoader. */
  public OnnxEncoderRuntime() {}

  @Override
  public String name() {
    return "onnxruntime";
  }

  /**
   * E.g. {@code 1.29.0 (CPU build, linux-x64, CPU execution provider)}. The encoder adds no other
   * execution provider, so it runs on the CPU one whichever build is on the class path.
   */
  @Override
  public String describe() {
    boolean gpu = OrtEnvironment.class.getResource(MAVEN_DIR + "onnxruntime_gpu/pom.xml") != null;
    return version(gpu ? "onnxruntime_gpu" : "onnxruntime")
        + " ("
        + (gpu ? "GPU" : "CPU")
        + " build, "
        + nativeLibrary()
        + ", CPU execution provider)";
  }

  private static String version(String artifact) {
    String v = OrtEnvironment.class.getPackage().getImplementationVersion();
    if (v != null) return v;
    // A fat jar replaces the manifest but keeps Maven's copy of the pom.
    try (InputStream in =
        OrtEnvironment.class.getResourceAsStream(MAVEN_DIR + artifact + "/pom.xml")) {
      if (in != null) {
        Matcher m = VERSION.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        if (m.find()) return m.group(1).strip();
      }
    } catch (IOException e) {
      // falls through to "unknown version"
    }
    return "unknown version";
  }

  /** The platform directory ONNX Runtime loads its library from, as its loader names it. */
  private static String nativeLibrary() {
    String override = System.getProperty("onnxruntime.native.path");
    if (override != null && !override.isBlank()) return "native library from " + override;
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String platform =
        (os.contains("mac") || os.contains("darwin")
                ? "osx"
                : os.contains("win") ? "win" : os.contains("linux") ? "linux" : os)
            + "-"
            + (arch.equals("amd64") || arch.equals("x86_64")
                ? "x64"
                : arch.equals("arm64") ? "aarch64" : arch);
    String lib =
        platform.startsWith("win")
            ? "onnxruntime.dll"
            : platform.startsWith("osx") ? "libonnxruntime.dylib" : "libonnxruntime.so";
    boolean bundled =
        OrtEnvironment.class.getResource("/ai/onnxruntime/native/" + platform + "/" + lib) != null;
    return bundled ? platform : platform + ": no bundled native library";
  }
}
