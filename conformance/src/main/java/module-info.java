/** Tessera's conformance kit and the exact in-memory reference store. */
module dev.tessera.conformance {
  requires transitive dev.tessera.api;

  exports dev.tessera.conformance.memory;

  provides dev.tessera.api.spi.VectorStoreProvider with dev.tessera.conformance.memory.MemoryStoreProvider;
}
