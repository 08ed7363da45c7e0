package dev.tessera.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime jar carries no test libraries: {@code tessera.jar} holds no JUnit, AssertJ, ByteBuddy
 * or kit classes, and the kit with its libraries sits in {@code conformance-lib/} beside it, where
 * {@code tessera conformance} loads it. Runs after cli is packaged (later in the reactor).
 */
class CliJarTest {
  private static final Path TARGET = Path.of("..", "cli", "target");

  @Test
  void the_cli_jar_holds_no_test_library_and_the_kit_sits_beside_it() throws IOException {
    Path jar = TARGET.resolve("tessera.jar");
    assertThat(jar)
        .as("the CLI's fat jar; build it with 'mvn -B -pl cli -am package -DskipTests'")
        .exists();
    List<String> test;
    long classes;
    try (JarFile f = new JarFile(jar.toFile())) {
      classes = f.stream().filter(e -> e.getName().endsWith(".class")).count();
      test =
          f.stream()
              .map(e -> e.getName())
              .filter(
                  n ->
                      n.startsWith("org/junit/")
                          || n.startsWith("org/assertj/")
                          || n.startsWith("net/bytebuddy/")
                          || n.startsWith("org/opentest4j/")
                          || n.startsWith("dev/tessera/conformance/"))
              .limit(5)
              .toList();
    }
    assertThat(classes).as("classes in tessera.jar").isGreaterThan(1_000);
    assertThat(test).as("test-library entries in tessera.jar").isEmpty();
    try (Stream<Path> lib = Files.list(TARGET.resolve("conformance-lib"))) {
      assertThat(lib.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("tessera-conformance-"))
          .anyMatch(n -> n.startsWith("junit-platform-launcher-"))
          .anyMatch(n -> n.startsWith("junit-jupiter-engine-"))
          .anyMatch(n -> n.startsWith("assertj-core-"))
          .noneMatch(n -> n.startsWith("tessera-api-") || n.startsWith("onnxruntime"));
    }
  }
}
