package dev.tessera.cassandra.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java 17 finder's order and its error, on JDK homes laid out in a temporary folder. */
class Java17Test {
  /** A home whose release file names {@code version} and whose bin/java is executable. */
  private static Path home(Path dir, String name, String version) throws IOException {
    Path home = dir.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    Path java = home.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  @Test
  void java17_home_comes_first(@TempDir Path dir) throws IOException {
    Path jvm = Files.createDirectories(dir.resolve("jvm"));
    home(jvm, "java-17-a", "17.0.9");
    Path chosen = home(dir, "mine", "17.0.2");
    assertThat(Java17.find(Map.of("JAVA17_HOME", chosen.toString()), jvm))
        .isEqualTo(chosen.resolve("bin/java"));
  }

  @Test
  void a_java17_home_that_is_not_17_is_an_error_naming_it(@TempDir Path dir) throws IOException {
    Path wrong = home(dir, "jdk25", "25.0.1");
    assertThatThrownBy(() -> Java17.find(Map.of("JAVA17_HOME", wrong.toString()), dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("JAVA17_HOME=" + wrong)
        .hasMessageContaining("is Java 25")
        .hasMessageContaining("apt-get install openjdk-17-jre-headless");
  }

  @Test
  void a_17_in_the_jvm_folder_is_found_and_a_25_is_not(@TempDir Path dir) throws IOException {
    Path jvm = Files.createDirectories(dir.resolve("jvm"));
    home(jvm, "temurin-25-jdk", "25.0.1");
    Path seventeen = home(jvm, "java-17-openjdk", "17.0.17");
    assertThat(Java17.find(Map.of("PATH", ""), jvm)).isEqualTo(seventeen.resolve("bin/java"));
  }

  @Test
  void without_any_17_the_error_says_what_was_looked_at_and_what_to_install(@TempDir Path dir)
      throws IOException {
    Path jvm = Files.createDirectories(dir.resolve("jvm"));
    Path bin = home(dir, "jdk25", "25").resolve("bin");
    assertThatThrownBy(() -> Java17.find(Map.of("PATH", bin.toString()), jvm))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("JAVA17_HOME (not set)")
        .hasMessageContaining(jvm + "/*17*")
        .hasMessageContaining("is Java 25")
        .hasMessageContaining("apt-get install openjdk-17-jre-headless");
  }
}
