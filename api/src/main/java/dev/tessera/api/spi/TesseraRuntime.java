package dev.tessera.api.spi;

import dev.tessera.api.math.Kernels;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one start-up line: which distance kernels the api chose and what every {@link
 * RuntimeComponent} on the class path runs on (Lucene's and JVector's vector paths, the ONNX
 * Runtime build), logged once per JVM at INFO through {@link System.Logger} (routed to SLF4J when
 * {@code slf4j-jdk-platform-logging} is on the class path) when the first collection or encoder
 * opens.
 */
public final class TesseraRuntime {
  private static final System.Logger LOG = System.getLogger(TesseraRuntime.class.getName());
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  private TesseraRuntime() {}

  /** E.g. {@code kernels panama-512; lucene 10.3.2 (Panama vectors); jvector 4.0.2 (Panama)}. */
  public static String describe() {
    List<String> parts = new ArrayList<>();
    parts.add("kernels " + Kernels.get().name());
    for (RuntimeComponent c :
        Providers.of(RuntimeComponent.class, "runtime component", RuntimeComponent::name).all()) {
      String d;
      try {
        d = c.describe();
      } catch (RuntimeException | LinkageError e) {
        d = "unknown (" + e + ")";
      }
      parts.add(c.name() + " " + d);
    }
    return String.join("; ", parts);
  }

  /** Logs {@link #describe()} once per JVM. */
  public static void logOnce() {
    if (LOGGED.compareAndSet(false, true)) LOG.log(Level.INFO, "Tessera runtime: " + describe());
  }
}
