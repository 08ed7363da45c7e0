package dev.tessera.synthetic.archfixture;

import dev.tessera.conformance.archfixture.ConformanceMarker;

/** Breaks the synthetic rule: synthetic data that reaches into the conformance kit. */
public class SyntheticUsingTheKit {
  /** The forbidden dependency. */
  public ConformanceMarker kit() {
    return new ConformanceMarker();
  }
}
