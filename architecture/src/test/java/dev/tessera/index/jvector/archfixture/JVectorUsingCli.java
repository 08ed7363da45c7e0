package dev.tessera.index.jvector.archfixture;

/** Breaks "nothing imports cli". */
public class JVectorUsingCli {
  /** The forbidden dependency. */
  public Object cli() {
    return new dev.tessera.cli.archfixture.CliMarker();
  }
}
