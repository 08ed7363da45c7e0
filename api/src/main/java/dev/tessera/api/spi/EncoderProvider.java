package dev.tessera.api.spi;

import dev.tessera.api.MultiModalEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Opens {@link MultiModalEncoder}s from model directories. Found with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/dev.tessera.api.spi.EncoderProvider} and
 * {@code module-info}).
 */
public interface EncoderProvider {
  /** The short name users choose the encoder by, e.g. {@code onnx}. */
  String name();

  /** One line saying what the encoder runs, for listings. */
  String description();

  /**
   * Whether {@code modelDirectory} looks like a model this provider can open (cheap: file names
   * only).
   */
  boolean canOpen(Path modelDirectory);

  /**
   * Why {@link #canOpen} is false for {@code modelDirectory}: a sentence saying what was found and
   * what was expected, which {@link Encoders#open(Path)} adds to its error when no provider
   * recognises the directory. Empty when the provider can open it or has nothing to say (the
   * default).
   */
  default Optional<String> whyNot(Path modelDirectory) {
    return Optional.empty();
  }

  /**
   * Opens the model in {@code modelDirectory}; {@code options} are provider-specific (batch size,
   * threads, ...).
   */
  MultiModalEncoder open(Path modelDirectory, Map<String, String> options) throws IOException;
}
