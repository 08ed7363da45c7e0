/** Tessera's conformance kit, its runner and its data generators. */
module dev.tessera.conformance {
  requires transitive dev.tessera.api;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires org.junit.platform.launcher;
  requires org.assertj.core;
  requires dev.tessera.store.memory;

  exports dev.tessera.conformance;
  exports dev.tessera.conformance.data;

  // JUnit reaches the kit's package-private test methods by reflection.
  opens dev.tessera.conformance to
      org.junit.platform.commons;
}
