/** Tessera's conformance kit, and its runner (its data comes from dev.tessera.synthetic). */
module dev.tessera.conformance {
  requires transitive dev.tessera.api;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires org.junit.platform.launcher;
  requires org.assertj.core;
  requires dev.tessera.store.memory;
  requires transitive dev.tessera.synthetic;

  exports dev.tessera.conformance;

  // JUnit reaches the kit's package-private test methods by reflection.
  opens dev.tessera.conformance to
      org.junit.platform.commons;
}
