package dev.tessera.index.jvector;

import dev.tessera.api.spi.RuntimeComponent;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** JVector's part of Tessera's start-up line: which vectorization provider JVector chose. */
public final class JVectorRuntime implements RuntimeComponent {
  /** For ServiceLoader. */
  public JVectorRuntime() {}

  @Override
  public String name() {
    return "jvector";
  }

  @Override
  public String describe() {
    String version = version();
    String provider = VectorizationProvider.getInstance().getClass().getSimpleName();
    String path;
    if (provider.startsWith("Panama")) path = "Panama vectors";
    else if (provider.startsWith("Native")) path = "its native SIMD library";
    else path = "scalar vectors; add --add-modules jdk.incubator.vector for Panama vectors";
    return (version != null ? version + " " : "") + "(" + path + ")";
  }

  /**
   * JVector's version from its jar manifest, or from the Maven properties it ships when a fat jar
   * (the CLI's) replaced the manifest; null when neither says.
   */
  static String version() {
    String v = VectorizationProvider.class.getPackage().getImplementationVersion();
    if (v != null) return v;
    try (InputStream in =
        VectorizationProvider.class.getResourceAsStream(
            "/META-INF/maven/io.github.jbellis/jvector-base/pom.properties")) {
      if (in == null) return null;
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      return null;
    }
  }
}
