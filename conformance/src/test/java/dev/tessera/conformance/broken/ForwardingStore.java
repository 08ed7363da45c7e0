package dev.tessera.conformance.broken;

import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A store that passes every call to a correct one; broken backends override the call they break.
 */
class ForwardingStore implements VectorStore {
  final VectorStore inner;

  ForwardingStore(VectorStore inner) {
    this.inner = inner;
  }

  @Override
  public ModelFingerprint fingerprint() {
    return inner.fingerprint();
  }

  @Override
  public void upsert(List<Item> items) throws IOException {
    inner.upsert(items);
  }

  @Override
  public void delete(List<String> ids) throws IOException {
    inner.delete(ids);
  }

  @Override
  public Optional<Item> get(String id) throws IOException {
    return inner.get(id);
  }

  @Override
  public long count() throws IOException {
    return inner.count();
  }

  @Override
  public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
    return inner.search(query, k, filter);
  }

  @Override
  public void forEach(Consumer<? super Item> action) throws IOException {
    inner.forEach(action);
  }

  @Override
  public void commit() throws IOException {
    inner.commit();
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
