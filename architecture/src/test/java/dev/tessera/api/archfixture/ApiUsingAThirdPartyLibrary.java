package dev.tessera.api.archfixture;

/** Breaks "api depends only on the JDK": it uses JUnit. */
public class ApiUsingAThirdPartyLibrary {
  /** A dependency outside the JDK. */
  public Class<?> outside() {
    return org.junit.jupiter.api.Test.class;
  }

  /** Breaks "nothing imports bench". */
  public Object bench() {
    return new dev.tessera.bench.archfixture.BenchMarker();
  }
}
