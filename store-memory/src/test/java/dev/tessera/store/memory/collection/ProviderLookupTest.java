package dev.tessera.store.memory.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.TesseraException;
import dev.tessera.api.UnknownProviderException;
import dev.tessera.api.spi.Encoders;
import dev.tessera.api.spi.VectorStores;
import dev.tessera.store.memory.MemoryStoreProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ServiceLoader discovery of stores and encoders, and the system properties that force a choice.
 */
class ProviderLookupTest {
  @TempDir Path tmp;

  @AfterEach
  void clearProperties() {
    System.clearProperty(VectorStores.DEFAULT_PROPERTY);
    System.clearProperty(Encoders.PROPERTY);
  }

  @Test
  void should_find_the_memory_store_through_service_loader() {
    assertThat(VectorStores.provider("memory")).isInstanceOf(MemoryStoreProvider.class);
    assertThat(VectorStores.providers()).anyMatch(p -> p instanceof MemoryStoreProvider);
  }

  @Test
  void should_load_providers_once_and_skip_one_whose_name_breaks_the_rule() {
    assertThat(VectorStores.providers())
        .as("the same list, not a new scan")
        .isSameAs(VectorStores.providers());
    assertThat(VectorStores.names()).contains("memory").doesNotContain("Bad Name");
    assertThat(VectorStores.providers()).noneMatch(p -> p instanceof BadlyNamedProvider);
  }

  @Test
  void should_suggest_the_nearest_name_for_a_typo() {
    assertThatThrownBy(() -> VectorStores.provider("memroy"))
        .isInstanceOf(UnknownProviderException.class)
        .hasMessageStartingWith(
            "No vector store called 'memroy' is on the class path. Did you mean 'memory'?")
        .hasMessageNotContaining("tessera-index-memroy");
    assertThatThrownBy(() -> VectorStores.provider("cassandra"))
        .hasMessageContaining(
            "Add the jar that provides 'cassandra' (e.g. tessera-index-cassandra");
  }

  @Test
  void should_let_a_system_property_choose_the_default_store() {
    System.setProperty(VectorStores.DEFAULT_PROPERTY, "memory");
    assertThat(VectorStores.defaultName()).isEqualTo("memory");
    System.setProperty(VectorStores.DEFAULT_PROPERTY, "nosuch");
    assertThat(VectorStores.defaultName()).isEqualTo("nosuch");
    assertThatThrownBy(() -> VectorStores.provider(VectorStores.defaultName()))
        .isInstanceOf(UnknownProviderException.class)
        .hasMessageContaining("Available: ")
        .hasMessageContaining("memory");
  }

  @Test
  void should_explain_a_missing_model_directory_and_an_unknown_forced_encoder() {
    assertThatThrownBy(() -> Encoders.open(tmp.resolve("nope")))
        .isInstanceOf(TesseraException.class)
        .hasMessage(
            "Model directory "
                + tmp.resolve("nope").toAbsolutePath()
                + " does not exist or is not a directory: point at the folder that holds the model"
                + " files.");
    System.setProperty(Encoders.PROPERTY, "nosuch");
    assertThatThrownBy(() -> Encoders.open(tmp))
        .isInstanceOf(UnknownProviderException.class)
        .hasMessageStartingWith("No encoder called 'nosuch' is on the class path.");
  }
}
