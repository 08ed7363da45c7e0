/** The {@code jvector} vector store: JVector graph indexes persisted in checksummed generations. */
module dev.tessera.index.jvector {
  requires dev.tessera.api;
  requires jvector;
  requires org.slf4j;

  provides dev.tessera.api.spi.VectorStoreProvider with
      dev.tessera.index.jvector.JVectorStoreProvider;
  provides dev.tessera.api.spi.RuntimeComponent with
      dev.tessera.index.jvector.JVectorRuntime;
}
