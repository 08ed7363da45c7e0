package dev.tessera.encoders.onnx;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Paths of the committed test fixtures and small helpers to read them. */
final class Fixtures {
  private Fixtures() {}

  /** {@code src/test/resources/layouts}: written by {@code tools/make_layout_fixtures.py}. */
  static Path layouts() {
    try {
      return Path.of(Fixtures.class.getResource("/layouts").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The repository's {@code models/} folder (the trained tiny CLIP and its references), found from
   * the working directory; {@code -Dtessera.models=DIR} points elsewhere.
   */
  static Path repoModels() {
    String override = System.getProperty("tessera.models");
    if (override != null && !override.isBlank()) return Path.of(override).toAbsolutePath();
    Path dir = Path.of("").toAbsolutePath();
    for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("models"))) return dir.resolve("models");
    }
    return Path.of("models").toAbsolutePath();
  }

  static JsonObject json(Path file) {
    try {
      return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static float[] floats(JsonArray a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsFloat();
    return out;
  }

  static long[] longs(JsonArray a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsLong();
    return out;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  /** Copies a directory tree (for tests that change model files). */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
