package dev.tessera.cli;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.TesseraException;
import dev.tessera.api.spi.Encoders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Finds models: an explicit {@code --model} directory, the model a collection was built with
 * (remembered in {@code cli-models.properties} beside the collection's generations), or the
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

  /**
   * Opens {@code model}, or the collection's remembered model, or the default one with a notice;
   * with the encoder provider called {@code encoder}, or (null) the first that recognises it.
   */
  static MultiModalEncoder open(Path model, Path collection, String encoder, PrintStream err) {
    return open(resolve(model, collection, err), encoder);
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
   * The model directory to use: {@code model}, else the collection's remembered one, else the
   * default (with a notice).
   */
  static Path resolve(Path model, Path collection, PrintStream err) {
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
   * The model directory recorded for the live generation of {@code collection}, if any and still
   * there.
   */
  static Path remembered(Path collection) {
    Path f = collection.resolve(SIDECAR);
    if (!Files.isRegularFile(f)) return null;
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(f)) {
      p.load(in);
    } catch (IOException e) {
      return null;
    }
    String live;
    try {
      live =
          dev.tessera.api.collection.Generations.list(collection).stream()
              .filter(dev.tessera.api.collection.Generations.Info::current)
              .map(dev.tessera.api.collection.Generations.Info::name)
              .findFirst()
              .orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
    String path = live == null ? null : p.getProperty(live);
    return path != null && Files.isDirectory(Path.of(path)) ? Path.of(path) : null;
  }

  /** Records which model directory built {@code generation} of {@code collection}. */
  static void remember(Path collection, String generation, Path modelDir) {
    Path f = collection.resolve(SIDECAR);
    Properties p = new Properties();
    try {
      if (Files.isRegularFile(f)) {
        try (InputStream in = Files.newInputStream(f)) {
          p.load(in);
        }
      }
      p.setProperty(generation, modelDir.toAbsolutePath().normalize().toString());
      Path tmp = collection.resolve(SIDECAR + ".tmp");
      try (OutputStream o = Files.newOutputStream(tmp)) {
        p.store(o, "Model directory per generation, written by the tessera command");
      }
      Files.move(
          tmp,
          f,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not record the model of " + collection + ": " + e.getMessage(), e);
    }
  }
}
