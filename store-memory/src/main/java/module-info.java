/** The exact in-memory {@code memory} store. */
module dev.tessera.store.memory {
  requires transitive dev.tessera.api;

  exports dev.tessera.store.memory;

  provides dev.tessera.api.spi.VectorStoreProvider with
      dev.tessera.store.memory.MemoryStoreProvider;
}
