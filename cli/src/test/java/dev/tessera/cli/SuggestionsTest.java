package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A misspelt store, encoder, option, value or command is a usage error naming the nearest. */
class SuggestionsTest {
  @TempDir Path tmp;

  @Test
  void should_find_the_nearest_name_within_a_third_of_its_length() {
    List<String> stores = List.of("jvector", "lucene", "memory");
    assertThat(Suggestions.nearest("lucen", stores)).contains("lucene");
    assertThat(Suggestions.nearest("Lucene", stores)).contains("lucene");
    assertThat(Suggestions.nearest("jvectr", stores)).contains("jvector");
    assertThat(Suggestions.nearest("memroy", stores)).contains("memory");
    assertThat(Suggestions.nearest("cassandra", stores)).isEmpty();
    assertThat(Suggestions.nearest("x", stores)).isEmpty();
    assertThat(Suggestions.nearest("", stores)).isEmpty();
    assertThat(Suggestions.didYouMean("lucen", stores)).isEqualTo(" Did you mean 'lucene'?");
    assertThat(Suggestions.didYouMean("elastic", stores)).isEmpty();
  }

  private static void assertUsageError(CliTest.Run r, String... parts) {
    assertThat(r.code()).as(r.err()).isEqualTo(UsageErrors.USAGE);
    assertThat(r.err().lines().toList()).as(r.err()).hasSize(2);
    assertThat(r.err()).startsWith("tessera: ").contains(parts).contains("--help' for usage.");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void should_suggest_the_nearest_store() {
    assertUsageError(
        CliTest.tessera(
            "index",
            tmp.toString(),
            "--collection",
            tmp.resolve("c").toString(),
            "--store",
            "lucen"),
        "no store called 'lucen' is on the class path. Did you mean 'lucene'? Available: ",
        "memory");
    assertUsageError(CliTest.tessera("conformance", "--store", "memroy"), "Did you mean 'memory'?");
  }

  @Test
  void should_suggest_the_nearest_encoder() throws Exception {
    Path model = FakeEncoderProvider.write(tmp.resolve("m"), "A", false);
    assertUsageError(
        CliTest.tessera(
            "index",
            tmp.toString(),
            "--collection",
            tmp.resolve("c").toString(),
            "--model",
            model.toString(),
            "--encoder",
            "fak"),
        "Invalid value for option '--encoder': no encoder called 'fak' is on the class path."
            + " Did you mean 'fake'? Available: fake, onnx.");
  }

  @Test
  void should_suggest_the_nearest_option_before_complaining_about_a_missing_one() {
    assertUsageError(
        CliTest.tessera("search", "--colection", "c", "--text", "a red circle"),
        "Unknown option '--colection' for 'tessera search'. Did you mean '--collection'?");
    assertUsageError(
        CliTest.tessera("info", "--collection=c", "--jsn"),
        "Unknown option '--jsn' for 'tessera info'. Did you mean '--json'?");
  }

  @Test
  void should_suggest_the_nearest_command_and_value() {
    assertUsageError(CliTest.tessera("serch"), "Unknown command 'serch'. Did you mean 'search'?");
    assertUsageError(
        CliTest.tessera("search", "--collection", "c", "--text", "a", "--only", "imags"),
        "'imags' is neither images nor texts. Did you mean 'images'?");
  }
}
