package dev.tessera.index.jvector;

import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.IOException;
import java.util.Set;

/**
 * The {@code jvector} store: JVector graphs (one per modality) with exact rescoring, persisted in
 * checksummed generations.
 */
public final class JVectorStoreProvider implements VectorStoreProvider {
  /** The provider's name. */
  public static final String NAME = "jvector";

  /** For ServiceLoader. */
  public JVectorStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "JVector graph index (one graph per modality, exact rescoring), persisted with"
        + " CRC32-checked generations";
  }

  @Override
  public Set<String> settingNames() {
    return JVectorSettings.NAMES;
  }

  @Override
  public VectorStore create(StoreContext context, ModelFingerprint fingerprint) throws IOException {
    if (context.readOnly()) {
      throw new IllegalArgumentException(
          "Can not create a jvector store in "
              + context.directory()
              + " read-only: open it writable to create it.");
    }
    return JVectorStore.create(context.directory(), fingerprint, JVectorSettings.from(context));
  }

  @Override
  public VectorStore open(StoreContext context) throws IOException {
    return JVectorStore.open(
        context.directory(), JVectorSettings.from(context), context.readOnly());
  }
}
