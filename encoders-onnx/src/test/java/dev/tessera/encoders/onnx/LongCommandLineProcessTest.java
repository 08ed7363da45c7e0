package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real encoder on the committed small CLIP in a child JVM whose command line is over 8 KB, on
 * the default thread stack (no {@code -Xss}) and with ONNX Runtime's telemetry not disabled from
 * outside: ONNX Runtime's start-up used to overflow the caller's stack there (SIGSEGV, exit 139;
 * see {@link LargeStack}).
 */
class LongCommandLineProcessTest {
  /** Twice the command line at which a 1 MB stack overflowed without the fix (3,980 bytes). */
  static final int MIN_COMMAND_LINE = 8 * 1024;

  @Test
  void should_embed_in_a_jvm_with_an_8_kb_command_line_and_the_default_stack() throws Exception {
    Path models = Fixtures.repoModels();
    Path ref = models.resolve("tiny-clip-reference");
    JsonObject reference = Fixtures.json(ref.resolve("reference.json"));
    String text =
        reference.getAsJsonArray("texts").get(1).getAsJsonObject().get("text").getAsString();
    Path image =
        ref.resolve(
            reference.getAsJsonArray("images").get(0).getAsJsonObject().get("file").getAsString());

    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("-Dtessera.test.padding=" + "p".repeat(MIN_COMMAND_LINE));
    cmd.add(EmbedOnceMain.class.getName());
    cmd.add(models.resolve("tiny-clip").toString());
    cmd.add(text);
    cmd.add(image.toString());
    assertThat(cmd).noneMatch(a -> a.startsWith("-Xss") || a.contains("ThreadStackSize"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("ORT_DISABLE_TELEMETRY"); // the path that crashed must run
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child ended").isTrue();
    assertThat(p.exitValue()).as("exit status (139 = SIGSEGV); output:%n%s", out).isZero();

    long cmdline = Long.parseLong(line(out, "cmdline "));
    assertThat(cmdline)
        .as("the child's /proc/self/cmdline")
        .isGreaterThanOrEqualTo(MIN_COMMAND_LINE);
    int dim = reference.get("dim").getAsInt();
    float[] texts = RetrievalSupport.readF32(ref.resolve("text_embeds_normalized.f32"));
    float[] images = RetrievalSupport.readF32(ref.resolve("image_embeds_normalized.f32"));
    assertThat(Fixtures.cosine(vector(out, "text ", dim), Arrays.copyOfRange(texts, dim, 2 * dim)))
        .as("cosine of the child's text vector to Python's")
        .isGreaterThanOrEqualTo(TinyClipReferenceTest.MIN_COSINE);
    assertThat(Fixtures.cosine(vector(out, "image ", dim), Arrays.copyOfRange(images, 0, dim)))
        .as("cosine of the child's image vector to Python's")
        .isGreaterThanOrEqualTo(TinyClipReferenceTest.MIN_COSINE);
  }

  private static String line(String out, String prefix) {
    return out.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .map(l -> l.substring(prefix.length()))
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in:\n" + out));
  }

  private static float[] vector(String out, String prefix, int dim) {
    String[] parts = line(out, prefix).split(",");
    assertThat(parts).as(prefix + "vector").hasSize(dim);
    float[] v = new float[dim];
    double norm = 0;
    for (int i = 0; i < dim; i++) {
      v[i] = Float.parseFloat(parts[i]);
      norm += (double) v[i] * v[i];
    }
    assertThat(Math.sqrt(norm)).as(prefix + "vector length").isCloseTo(1.0, offset(1e-4));
    return v;
  }
}
