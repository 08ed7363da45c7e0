package dev.tessera.api.spi;

/**
 * A module's account of what it runs on — which vector instructions, which native build — for the
 * one start-up line Tessera logs ({@link TesseraRuntime}). Found with {@link
 * java.util.ServiceLoader}; {@link #describe()} must be cheap and must not start native code that
 * is not started already.
 */
public interface RuntimeComponent {
  /** A short name, e.g. {@code lucene}. */
  String name();

  /** What it runs on, e.g. {@code 10.3.2, Panama vectors}. */
  String describe();
}
