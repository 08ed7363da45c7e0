package dev.tessera.cli;

import dev.tessera.api.TesseraException;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The conformance kit, loaded only when {@code tessera conformance} runs. The kit asserts with
 * JUnit and AssertJ (which pull in ByteBuddy); keeping them out of {@code tessera.jar} keeps the
 * runtime free of test libraries, so the build puts the kit and those jars in {@value #LIB} beside
 * the jar, and this class loads them in a class loader of their own whose parent is the CLI's (so
 * the api's types are shared).
 */
final class ConformanceKit {
  /** The folder beside {@code tessera.jar} that holds the kit and its test libraries. */
  static final String LIB = "conformance-lib";

  private static final String RUNNER = "dev.tessera.conformance.ConformanceRunner";

  private ConformanceKit() {}

  /** Runs the kit's {@code ConformanceRunner.report} on {@code provider}; see its javadoc. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> report(
      VectorStoreProvider provider,
      Map<String, String> settings,
      double minimumRecall,
      PrintStream out) {
    Thread me = Thread.currentThread();
    ClassLoader before = me.getContextClassLoader();
    try {
      Class<?> runner = runner();
      // JUnit's launcher finds its test engines through the context class loader
      me.setContextClassLoader(runner.getClassLoader());
      Method m =
          runner.getMethod(
              "report", VectorStoreProvider.class, Map.class, double.class, PrintStream.class);
      return (Map<String, Object>) m.invoke(null, provider, settings, minimumRecall, out);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new TesseraException(
          "The conformance kit in " + lib() + " does not match this tessera.jar: rebuild both.", e);
    } finally {
      me.setContextClassLoader(before);
    }
  }

  /** The runner class: on the class path (tests, IDEs), else from {@value #LIB}. */
  private static Class<?> runner() throws ClassNotFoundException {
    ClassLoader own = ConformanceKit.class.getClassLoader();
    try {
      return Class.forName(RUNNER, true, own);
    } catch (ClassNotFoundException notOnTheClassPath) {
      Path lib = lib();
      List<URL> jars = new ArrayList<>();
      if (Files.isDirectory(lib)) {
        try (Stream<Path> s = Files.list(lib)) {
          for (Path j : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
            jars.add(j.toUri().toURL());
          }
        } catch (MalformedURLException e) {
          throw new IllegalStateException(e);
        } catch (IOException e) {
          throw new IllegalStateException("Can not list " + lib + ": " + e.getMessage(), e);
        }
      }
      if (jars.isEmpty()) {
        throw new TesseraException(
            "The conformance kit is not installed: it is kept out of tessera.jar and looked for in "
                + lib
                + ", which is missing or empty. Build it with 'mvn -B -pl cli -am package"
                + " -DskipTests' (the launcher does), or run the kit from your own tests (see"
                + " conformance/README.md).");
      }
      ClassLoader kit = new URLClassLoader("conformance-kit", jars.toArray(URL[]::new), own);
      return Class.forName(RUNNER, true, kit);
    }
  }

  /** {@value #LIB} beside the jar (or classes folder) this class was loaded from. */
  static Path lib() {
    try {
      Path here =
          Path.of(ConformanceKit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return here.toAbsolutePath().getParent().resolve(LIB);
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return Path.of(LIB).toAbsolutePath();
    }
  }
}
