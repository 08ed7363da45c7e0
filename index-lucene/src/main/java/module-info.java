/**
 * The {@code lucene} vector store: Lucene HNSW ({@code KnnFloatVectorField}) on a memory-mapped
 * directory.
 */
module dev.tessera.index.lucene {
  requires dev.tessera.api;
  requires org.apache.lucene.core;
  requires org.slf4j;

  provides dev.tessera.api.spi.VectorStoreProvider with
      dev.tessera.index.lucene.LuceneStoreProvider;
  provides dev.tessera.api.spi.RuntimeComponent with
      dev.tessera.index.lucene.LuceneRuntime;
}
