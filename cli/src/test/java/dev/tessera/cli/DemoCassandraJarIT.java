package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tessera demo --store cassandra} from the packaged fat jar, run exactly as the {@code
 * tessera} script runs it (an integration test: failsafe runs it after the package phase made
 * {@code cli/target/tessera.jar}). The Maven test class path hides what only the fat jar shows: the
 * Cassandra server JVM the demo starts must not get the fat jar (Lucene 10's Java 21 classes,
 * slf4j-simple) on its class path, or its first SAI flush fails and the demo's first commit times
 * out.
 */
class DemoCassandraJarIT {
  @TempDir Path tmp;

  /** The fat jar failsafe names ({@code tessera.jar}), checked to exist. */
  private static Path jar() {
    String property = System.getProperty("tessera.jar");
    assertThat(property)
        .as("system property tessera.jar (set by cli/pom.xml's failsafe configuration)")
        .isNotNull();
    Path jar = Path.of(property);
    assertThat(jar).as("the fat jar the package phase makes").isRegularFile();
    return jar;
  }

  @Test
  void demo_on_cassandra_runs_from_the_fat_jar() throws Exception {
    Path dir = tmp.resolve("demo-cassandra");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // the tessera script's last line, with the repository root as tessera.home
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                java.toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-Dtessera.home=" + DemoProcessTest.repoRoot(),
                "-jar",
                jar().toString(),
                "demo",
                "--out",
                dir.toString(),
                "--store",
                "cassandra",
                "--images",
                "12"));
    String out = CliProcessTest.runToEnd(pb, 0);
    DemoProcessTest.assertDemoOnItsOwnCassandraNode(out, 12);
    assertThat(out).doesNotContain("UnsupportedClassVersionError");
    try (var pictures = Files.list(dir.resolve("pictures"))) {
      assertThat(pictures.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(12);
    }
  }
}
