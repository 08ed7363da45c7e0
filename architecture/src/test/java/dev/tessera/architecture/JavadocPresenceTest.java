package dev.tessera.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public type of every module has a javadoc comment, and so does every public or protected
 * member of the api's public types (the contract users read). javac's doclint checks the comments'
 * syntax and references in the api build; this checks that they are there.
 */
class JavadocPresenceTest {
  static Path repoRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("api/src/main/java"))
          && Files.isRegularFile(d.resolve("pom.xml"))) return d;
    }
    throw new AssertionError(
        "No repository root with api/src/main/java above " + Path.of("").toAbsolutePath());
  }

  private static List<Path> mainSourceRoots() throws IOException {
    List<Path> roots = new ArrayList<>();
    try (Stream<Path> modules = Files.list(repoRoot())) {
      for (Path m : modules.sorted().toList()) {
        Path src = m.resolve("src/main/java");
        if (Files.isDirectory(src)) roots.add(src);
      }
    }
    return roots;
  }

  @Test
  void every_public_type_of_every_module_has_a_javadoc_comment() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path root : mainSourceRoots()) files.addAll(JavadocPresence.sources(root));
    assertThat(files).as("main source files found").hasSizeGreaterThan(80);
    assertThat(JavadocPresence.missing(files, false)).as("public types without javadoc").isEmpty();
  }

  @Test
  void every_public_member_of_the_api_has_a_javadoc_comment() throws IOException {
    List<Path> files = JavadocPresence.sources(repoRoot().resolve("api/src/main/java"));
    assertThat(files).as("api source files found").hasSizeGreaterThan(30);
    assertThat(JavadocPresence.missing(files, true)).as("api members without javadoc").isEmpty();
  }

  @Test
  void the_check_names_what_lacks_a_comment(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("Undocumented.java");
    Files.writeString(
        file,
        """
        package x;
        /** Documented. */
        public class Undocumented {
          public void bare() {}
          /** Documented. */
          public int documented() { return 1; }
          @Override public String toString() { return ""; }
          public static final int LIMIT = 3;
          private void hidden() {}
          public interface Inner { void call(); }
        }
        class PackagePrivate { public void ignored() {} }
        """);
    assertThat(JavadocPresence.missing(List.of(file), true))
        .containsExactly(
            "Undocumented.java:4 Undocumented.bare()",
            "Undocumented.java:8 Undocumented.LIMIT",
            "Undocumented.java:10 Inner (type)",
            "Undocumented.java:10 Inner.call()");
    assertThat(JavadocPresence.missing(List.of(file), false))
        .containsExactly("Undocumented.java:10 Inner (type)");
  }
}
