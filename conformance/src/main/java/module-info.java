/**
 * Tessera's conformance kit, its runner, its data generators and the exact in-memory reference
 * store.
 */
module dev.tessera.conformance {
  requires transitive dev.tessera.api;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires org.junit.platform.launcher;
  requires org.assertj.core;

  exports dev.tessera.conformance;
  exports dev.tessera.conformance.data;
  exports dev.tessera.conformance.memory;

  // JUnit reaches the kit's package-private test methods by reflection.
  opens dev.tessera.conformance to
      org.junit.platform.commons;

  provides dev.tessera.api.spi.VectorStoreProvider with
      dev.tessera.conformance.memory.MemoryStoreProvider;
}
