/** The {@code cassandra} vector store: records in a Cassandra 5 cluster, searched with SAI. */
module dev.tessera.index.cassandra {
  requires dev.tessera.api;
  requires java.driver.core;
  requires org.slf4j;

  provides dev.tessera.api.spi.VectorStoreProvider with
      dev.tessera.index.cassandra.CassandraStoreProvider;
}
