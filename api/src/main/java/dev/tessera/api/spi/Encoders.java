package dev.tessera.api.spi;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.TesseraException;
import dev.tessera.api.UnknownProviderException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Opens {@link MultiModalEncoder}s through the {@link EncoderProvider}s on the class path.
 *
 * <p>System properties: {@code tessera.encoder} forces the provider used by {@link #open(Path)};
 * {@code tessera.encoder.NAME.class} picks the class when several providers share NAME.
 */
public final class Encoders {
  /** System property that forces the encoder provider. */
  public static final String PROPERTY = "tessera.encoder";

  private Encoders() {}

  private static Providers<EncoderProvider> loader() {
    return Providers.of(EncoderProvider.class, "encoder", EncoderProvider::name);
  }

  /** Every encoder provider on the class path (found once, then kept). */
  public static List<EncoderProvider> providers() {
    return loader().all();
  }

  /**
   * The provider called {@code name}; an unknown name fails with the names available and, for a
   * likely typo, the nearest one.
   */
  public static EncoderProvider provider(String name) {
    return loader().byName(name, "tessera.encoder." + name + ".class");
  }

  /** Looks for encoder providers again, with {@code classLoader} (for jars added at run time). */
  public static void reload(ClassLoader classLoader) {
    loader().reload(classLoader);
  }

  /** Opens the model in {@code modelDirectory} with the first provider that recognises it. */
  public static MultiModalEncoder open(Path modelDirectory) {
    return open(modelDirectory, Map.of());
  }

  /** Like {@link #open(Path)} with provider options (batch size, threads, ...). */
  public static MultiModalEncoder open(Path modelDirectory, Map<String, String> options) {
    TesseraRuntime.logOnce();
    if (!Files.isDirectory(modelDirectory)) {
      throw new TesseraException(
          "Model directory "
              + modelDirectory.toAbsolutePath()
              + " does not exist or is not a directory: point at the folder that holds the model"
              + " files.");
    }
    String forced = System.getProperty(PROPERTY);
    EncoderProvider chosen = null;
    if (forced != null && !forced.isBlank()) {
      chosen = provider(forced.trim());
    } else {
      for (EncoderProvider p : providers()) {
        if (p.canOpen(modelDirectory)) {
          chosen = p;
          break;
        }
      }
    }
    if (chosen == null) {
      TreeSet<String> names = new TreeSet<>();
      StringBuilder reasons = new StringBuilder();
      for (EncoderProvider p : providers()) {
        names.add(p.name());
        // A provider's own finding (what it found, what it expected) is the useful part.
        p.whyNot(modelDirectory)
            .ifPresent(r -> reasons.append(' ').append(p.name()).append(": ").append(r));
      }
      throw new UnknownProviderException(
          "No encoder on the class path recognises the model in "
              + modelDirectory.toAbsolutePath()
              + " (encoders available: "
              + (names.isEmpty() ? "none; add tessera-encoders-onnx" : String.join(", ", names))
              + ")."
              + reasons);
    }
    try {
      return chosen.open(modelDirectory, options);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not open the model in " + modelDirectory.toAbsolutePath() + ": " + e.getMessage(),
          e);
    }
  }
}
