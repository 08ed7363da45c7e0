package dev.tessera.cli;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.TesseraException;
import dev.tessera.api.collection.GenerationManifest;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.Encoders;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Finds models: an explicit {@code --model} directory, the model a collection was built with (the
 * {@link GenerationManifest#MODEL_HINT} of its live generation; collections made before it have
 * {@code cli-models.properties}, a sidecar this class still reads but no longer writes), or the
 * project's small CLIP in {@code <tessera home>/models/tiny-clip} ({@code -Dtessera.models=DIR} or
 * {@code TESSERA_MODELS} points at another folder holding {@code tiny-clip/}).
 */
final class Models {
  static final String SIDECAR = "cli-models.properties";
  static final String HOME_PROPERTY = "tessera.home";
  static final String MODELS_PROPERTY = "tessera.models";

  private Models() {}

  /** The project's small CLIP, or a clear error saying where it was looked for. */
  static Path defaultModel() {
    String models = System.getProperty(MODELS_PROPERTY, System.getenv("TESSERA_MODELS"));
    if (models != null && !models.isBlank()) {
      Path p = Path.of(models).resolve("tiny-clip");
      if (Files.isDirectory(p)) return p;
      throw new TesseraException(
          "The built-in small CLIP was not found at "
              + p
              + " (-D"
              + MODELS_PROPERTY
              + " / TESSERA_MODELS names the folder that holds tiny-clip/). Fix the path, or pass"
              + " --model DIR with a CLIP ONNX export.");
    }
    String home = System.getProperty(HOME_PROPERTY, System.getenv("TESSERA_HOME"));
    if (home != null && !home.isBlank()) {
      Path p = Path.of(home).resolve("models/tiny-clip");
      if (Files.isDirectory(p)) return p;
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("models/tiny-clip");
      if (Files.isDirectory(p)) return p;
    }
    if (home != null && !home.isBlank()) {
      throw new TesseraException(
          "The built-in small CLIP was not found at "
              + Path.of(home).resolve("models/tiny-clip")
              + ". Generate it with tools/tiny-clip/make_tiny_clip.py (see"
              + " tools/tiny-clip/README.md), or pass --model DIR with a CLIP ONNX export.");
    }
    throw new TesseraException(
        "The built-in small CLIP (models/tiny-clip) was not found: -D"
            + HOME_PROPERTY
            + " and TESSERA_HOME are unset and no parent of the current directory has it. Run"
            + " tessera through the ./tessera launcher of the repository (it sets -D"
            + HOME_PROPERTY
            + "), or pass --model DIR with a CLIP ONNX export.");
  }

  /** Opens {@code modelDir} with the provider called {@code encoder}, or the first that fits. */
  static MultiModalEncoder open(Path modelDir, String encoder) {
    if (encoder == null || !Files.isDirectory(modelDir)) return Encoders.open(modelDir);
    try {
      return Encoders.provider(encoder).open(modelDir, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not open the model in " + modelDir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The model directory to use: {@code model}, else the one {@code collection} (may be null)
   * remembers, else the default (with a notice).
   */
  static Path resolve(Path model, VectorCollection collection, PrintStream err) {
    if (model != null) return model;
    Path dir = collection == null ? null : remembered(collection);
    if (dir != null) return dir;
    Path builtIn = defaultModel(); // fails with its own message before the notice is printed
    err.println(
        "tessera: using the built-in small CLIP, which knows only synthetic shapes and colours; for"
            + " real photos pass --model DIR with a CLIP ONNX export (see"
            + " encoders-onnx/README.md).");
    return builtIn;
  }

  /**
   * The model directory recorded for the generation {@code collection} has open, if any and still
   * there: its model hint, else (older collections) the CLI's sidecar file.
   */
  static Path remembered(VectorCollection collection) {
    String path =
        collection
            .hint(GenerationManifest.MODEL_HINT)
            .orElseGet(() -> sidecar(collection.directory(), collection.generation()));
    return path != null && Files.isDirectory(Path.of(path)) ? Path.of(path) : null;
  }

  /** The hints that remember {@code modelDir}, for a new collection or generation. */
  static Map<String, String> hints(Path modelDir) {
    return Map.of(GenerationManifest.MODEL_HINT, modelDir.toAbsolutePath().normalize().toString());
  }

  /** Records {@code modelDir} as the model of the generation {@code collection} has open. */
  static void remember(VectorCollection collection, Path modelDir) {
    collection.setHint(
        GenerationManifest.MODEL_HINT, modelDir.toAbsolutePath().normalize().toString());
  }

  /** What the pre-hint sidecar {@value #SIDECAR} says for {@code generation}, or null. */
  private static String sidecar(Path collection, String generation) {
    Path f = collection.resolve(SIDECAR);
    if (!Files.isRegularFile(f)) return null;
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(f)) {
      p.load(in);
    } catch (IOException e) {
      return null;
    }
    return p.getProperty(generation);
  }
}
