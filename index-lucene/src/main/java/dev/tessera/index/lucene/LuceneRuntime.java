package dev.tessera.index.lucene;

import dev.tessera.api.spi.RuntimeComponent;
import org.apache.lucene.util.Version;

/** Lucene's part of Tessera's start-up line: its version and whether it scores with Panama. */
public final class LuceneRuntime implements RuntimeComponent {
  /** For ServiceLoader. */
  public LuceneRuntime() {}

  @Override
  public String name() {
    return "lucene";
  }

  @Override
  public String describe() {
    return Version.LATEST + " (" + vectorPath() + ")";
  }

  /**
   * Lucene chooses its vector implementation itself and lets only its own classes ask which (its
   * provider checks the caller), so this reports what that choice rests on: whether the incubating
   * Vector API is in the JVM. Lucene logs its own choice through java.util.logging as well.
   */
  private static String vectorPath() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        ? "Panama vectors"
        : "scalar vectors; add --add-modules jdk.incubator.vector for Panama vectors";
  }
}
