package dev.tessera.index.lucene;

import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.IOException;
import java.util.Set;

/**
 * The {@code lucene} store: Lucene HNSW vectors on a memory-mapped directory, exact rescoring,
 * Lucene commits.
 */
public final class LuceneStoreProvider implements VectorStoreProvider {
  /** The provider's name. */
  public static final String NAME = "lucene";

  /** For ServiceLoader. */
  public LuceneStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Lucene HNSW index (one vector field per modality, filters inside the kNN search, exact"
        + " rescoring), durable by Lucene commits";
  }

  @Override
  public Set<String> settingNames() {
    return LuceneSettings.NAMES;
  }

  @Override
  public VectorStore create(StoreContext context, ModelFingerprint fingerprint) throws IOException {
    if (context.readOnly()) {
      throw new IllegalArgumentException(
          "Can not create a lucene store in "
              + context.directory()
              + " read-only: open it writable to create it.");
    }
    return LuceneStore.create(context.directory(), fingerprint, LuceneSettings.from(context));
  }

  @Override
  public VectorStore open(StoreContext context) throws IOException {
    return LuceneStore.open(context, LuceneSettings.from(context));
  }
}
