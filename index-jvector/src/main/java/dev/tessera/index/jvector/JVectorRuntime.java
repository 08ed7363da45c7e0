package dev.tessera.index.jvector;

import dev.tessera.api.spi.RuntimeComponent;
import io.github.jbellis.jvector.vector.VectorizationProvider;

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
    String version = VectorizationProvider.class.getPackage().getImplementationVersion();
    String provider = VectorizationProvider.getInstance().getClass().getSimpleName();
    String path;
    if (provider.startsWith("Panama")) path = "Panama vectors";
    else if (provider.startsWith("Native")) path = "its native SIMD library";
    else path = "scalar vectors; add --add-modules jdk.incubator.vector for Panama vectors";
    return (version != null ? version + " " : "") + "(" + path + ")";
  }
}
