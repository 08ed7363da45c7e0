package dev.tessera.index.cassandra;

import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.IOException;
import java.util.Set;

/**
 * The {@code cassandra} store: records in a Cassandra 5 cluster, searched with SAI vector indexes
 * and rescored exactly; the store directory holds only a locator naming the cluster and the store.
 */
public final class CassandraStoreProvider implements VectorStoreProvider {
  /** The provider's name. */
  public static final String NAME = "cassandra";

  /** For ServiceLoader. */
  public CassandraStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Apache Cassandra 5 cluster (SAI vector search, exact rescoring), commits switched with"
        + " a lightweight transaction";
  }

  @Override
  public Set<String> settingNames() {
    return CassandraSettings.NAMES;
  }

  @Override
  public VectorStore create(StoreContext context, ModelFingerprint fingerprint) throws IOException {
    if (context.readOnly()) {
      throw new IllegalArgumentException(
          "Can not create a cassandra store in "
              + context.directory()
              + " read-only: open it writable to create it.");
    }
    return CassandraStore.create(context.directory(), CassandraSettings.from(context), fingerprint);
  }

  @Override
  public VectorStore open(StoreContext context) throws IOException {
    return CassandraStore.open(
        context.directory(), CassandraSettings.from(context), context.readOnly());
  }
}
