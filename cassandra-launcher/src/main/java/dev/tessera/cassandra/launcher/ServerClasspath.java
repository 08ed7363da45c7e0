package dev.tessera.cassandra.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Cassandra server's class path: the jars the cassandra-server module's build listed (the
 * runtime class path of cassandra-all, in the local Maven repository) plus that module's own entry
 * point. It is only ever given to the server's JVM, never loaded here.
 */
final class ServerClasspath {
  static final String RESOURCE = "META-INF/tessera/cassandra-server.classpath";
  static final String MAIN_CLASS = "dev.tessera.cassandra.server.ServerMain";
  private static final String REBUILD =
      "rebuild it: mvn -B install -pl cassandra-server (from the Tessera checkout)";

  private ServerClasspath() {}

  /** The class path entries, each checked to exist. */
  static List<Path> entries() {
    ClassLoader loader = ServerClasspath.class.getClassLoader();
    List<Path> entries = new ArrayList<>();
    entries.add(ownLocation(loader));
    String listed;
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "No "
                + RESOURCE
                + " on the class path: the tessera-cassandra-server jar is missing; "
                + REBUILD);
      }
      listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
    for (String entry : listed.split(File.pathSeparator)) {
      if (entry.isBlank()) continue;
      Path jar = Path.of(entry);
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            "The Cassandra server jar "
                + jar
                + " listed in "
                + RESOURCE
                + " is gone (local Maven repository cleaned?); "
                + REBUILD);
      }
      entries.add(jar);
    }
    if (entries.size() < 10) {
      throw new IllegalStateException(
          RESOURCE
              + " lists "
              + (entries.size() - 1)
              + " jars, not the server's class path; "
              + REBUILD);
    }
    return entries;
  }

  /** A new temporary folder holding only the entry point's class file, deleted at exit. */
  private static Path entryPointOnly(URL url, String classFile) {
    try {
      Path dir = Files.createTempDirectory("tessera-cassandra-entry-");
      Path target = dir.resolve(classFile);
      Files.createDirectories(target.getParent());
      try (InputStream in = url.openStream()) {
        Files.copy(in, target);
      }
      // deleteOnExit deletes in the reverse order of registration: folders first, file last.
      List<Path> chain = new ArrayList<>();
      for (Path p = target; p != null && p.startsWith(dir); p = p.getParent()) chain.add(0, p);
      for (Path p : chain) p.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot copy " + url + " out of its jar: " + e, e);
    }
  }

  /** The jar (or classes folder) of the server's entry point, found by its class file. */
  private static Path ownLocation(ClassLoader loader) {
    String classFile = MAIN_CLASS.replace('.', '/') + ".class";
    URL url = loader.getResource(classFile);
    if (url == null) {
      throw new IllegalStateException("No " + classFile + " on the class path; " + REBUILD);
    }
    try {
      String s = url.toString();
      if (s.startsWith("jar:")) {
        Path jar = Path.of(URI.create(s.substring(4, s.indexOf("!/"))));
        if (jar.getFileName().toString().startsWith("tessera-cassandra-server")) return jar;
        // A fat jar (the tessera command's) holds the entry point beside the application's own
        // libraries, Lucene 10 among them, which the Java 17 server must not see: hand the server
        // a folder with the entry point's class file alone.
        return entryPointOnly(url, classFile);
      }
      Path file = Path.of(url.toURI());
      for (int i = 0; i < MAIN_CLASS.split("\\.").length; i++) file = file.getParent();
      return file;
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IllegalStateException("Cannot locate " + url + ": " + e.getMessage(), e);
    }
  }
}
