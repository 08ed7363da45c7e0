package dev.tessera.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.UnknownProviderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Encoders#open} with a provider that says why it can not open a directory. */
class EncodersTest {
  @TempDir Path tmp;

  /**
   * Opens directories holding {@code marker.model}; says what it found otherwise. Registered for
   * the api's tests in {@code src/test/resources/META-INF/services}.
   */
  public static final class MarkerFileProvider implements EncoderProvider {
    private final boolean explains;

    /** For {@link java.util.ServiceLoader}: explains why it can not open a directory. */
    public MarkerFileProvider() {
      this(true);
    }

    MarkerFileProvider(boolean explains) {
      this.explains = explains;
    }

    @Override
    public String name() {
      return "marker";
    }

    @Override
    public String description() {
      return "test provider: directories with marker.model";
    }

    @Override
    public boolean canOpen(Path modelDirectory) {
      return Files.isRegularFile(modelDirectory.resolve("marker.model"));
    }

    @Override
    public Optional<String> whyNot(Path modelDirectory) {
      if (!explains) return EncoderProvider.super.whyNot(modelDirectory);
      return canOpen(modelDirectory)
          ? Optional.empty()
          : Optional.of("no marker.model in " + modelDirectory.getFileName());
    }

    @Override
    public MultiModalEncoder open(Path modelDirectory, Map<String, String> options)
        throws IOException {
      throw new IOException("the marker provider opens nothing");
    }
  }

  @Test
  void should_say_why_each_provider_can_not_open_the_directory() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("empty-model"));
    assertThatThrownBy(() -> Encoders.open(dir))
        .isInstanceOf(UnknownProviderException.class)
        .hasMessageContaining("No encoder on the class path recognises the model in")
        .hasMessageContaining("(encoders available: marker)")
        .hasMessageContaining("marker: no marker.model in empty-model");
  }

  @Test
  void should_give_no_reason_by_default() {
    assertThat(new MarkerFileProvider(false).whyNot(tmp)).isEmpty();
    assertThat(new MarkerFileProvider(true).whyNot(tmp)).isPresent();
  }
}
