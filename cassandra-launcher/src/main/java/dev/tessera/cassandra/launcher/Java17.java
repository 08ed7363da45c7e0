package dev.tessera.cassandra.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the Java 17 runtime the Cassandra server runs on (Cassandra 5.0 supports 11 and 17; it dies
 * at start on JDK 25, and Tessera itself needs 21+, so the server cannot share Tessera's JVM).
 */
public final class Java17 {
  /** The environment variable that names a Java 17 home, looked at first. */
  public static final String HOME_VARIABLE = "JAVA17_HOME";

  private static final String INSTALL_HINT =
      "Install one (e.g. 'apt-get install openjdk-17-jre-headless') or set "
          + HOME_VARIABLE
          + " to the home of a Java 17.";

  private Java17() {}

  /**
   * The java executable of a Java 17: {@code JAVA17_HOME}, then {@code /usr/lib/jvm/*17*}, then
   * {@code java} on the PATH if it is a 17.
   *
   * @return the path of the {@code java} executable
   * @throws IllegalStateException when there is none, naming what was looked at and what to install
   */
  public static Path find() {
    return find(System.getenv(), Path.of("/usr/lib/jvm"));
  }

  static Path find(Map<String, String> env, Path jvmDir) {
    List<String> looked = new ArrayList<>();
    String home = env.get(HOME_VARIABLE);
    if (home != null && !home.isBlank()) {
      Path java = Path.of(home, "bin", "java");
      String version = featureVersion(java).orElse("none");
      if ("17".equals(version)) return java;
      throw new IllegalStateException(
          HOME_VARIABLE
              + "="
              + home
              + " is not a Java 17 home ("
              + java
              + (version.equals("none") ? " does not run" : " is Java " + version)
              + "). "
              + INSTALL_HINT);
    }
    looked.add(HOME_VARIABLE + " (not set)");
    if (Files.isDirectory(jvmDir)) {
      try (Stream<Path> homes = Files.list(jvmDir)) {
        for (Path h : homes.sorted().toList()) {
          if (!h.getFileName().toString().contains("17")) continue;
          Path java = h.resolve("bin/java");
          if (Files.isExecutable(java) && "17".equals(featureVersion(java).orElse(""))) return java;
        }
      } catch (IOException e) {
        looked.add(jvmDir + " (unreadable: " + e.getMessage() + ")");
      }
    }
    looked.add(jvmDir + "/*17*");
    Optional<Path> onPath = onPath(env.getOrDefault("PATH", ""));
    if (onPath.isPresent()) {
      String version = featureVersion(onPath.get()).orElse("unknown");
      if ("17".equals(version)) return onPath.get();
      looked.add("java on PATH (" + onPath.get() + " is Java " + version + ")");
    } else {
      looked.add("java on PATH (none)");
    }
    throw new IllegalStateException(
        "No Java 17 runtime for the Cassandra server (Cassandra 5.0 cannot run on JDK 25; looked at"
            + " "
            + String.join(", ", looked)
            + "). "
            + INSTALL_HINT);
  }

  private static Optional<Path> onPath(String path) {
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path java = Path.of(dir, "java");
      if (Files.isExecutable(java)) return Optional.of(java);
    }
    return Optional.empty();
  }

  /**
   * The feature version ("17") of a java executable: from its home's {@code release} file, or by
   * asking it when there is none.
   */
  static Optional<String> featureVersion(Path java) {
    if (!Files.isExecutable(java)) return Optional.empty();
    try {
      Path home = java.toRealPath().getParent().getParent();
      Path release = home.resolve("release");
      if (Files.isReadable(release)) {
        for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
          if (line.startsWith("JAVA_VERSION=")) {
            return Optional.of(feature(line.substring("JAVA_VERSION=".length()).replace("\"", "")));
          }
        }
      }
      Process p =
          new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version")
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
      for (String line : out.split("\n")) {
        String t = line.strip();
        if (t.startsWith("java.specification.version = ")) {
          return Optional.of(feature(t.substring("java.specification.version = ".length())));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static String feature(String version) {
    String v = version.strip();
    if (v.startsWith("1.")) v = v.substring(2);
    int end = 0;
    while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
    return v.substring(0, end);
  }
}
