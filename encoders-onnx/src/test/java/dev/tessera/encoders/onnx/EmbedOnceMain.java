package dev.tessera.encoders.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The child process of {@link LongCommandLineProcessTest}: opens the model in {@code args[0]},
 * embeds the text {@code args[1]} and the image {@code args[2]}, and prints the length of its own
 * command line and both vectors, one per line.
 */
final class EmbedOnceMain {
  private EmbedOnceMain() {}

  public static void main(String[] args) throws Exception {
    Path cmdline = Path.of("/proc/self/cmdline");
    System.out.println(
        "cmdline " + (Files.isReadable(cmdline) ? Files.readAllBytes(cmdline).length : -1));
    try (OnnxClipEncoder encoder = OnnxClipEncoder.open(Path.of(args[0]))) {
      System.out.println("text " + join(encoder.embedText(args[1]).vector()));
      System.out.println(
          "image "
              + join(encoder.embedImages(List.of(Path.of(args[2]))).get(0).orThrow().vector()));
    }
  }

  private static String join(float[] v) {
    StringJoiner j = new StringJoiner(",");
    for (float x : v) j.add(String.format(Locale.ROOT, "%.9g", x));
    return j.toString();
  }
}
