package dev.tessera.conformance.broken;

import dev.tessera.api.Condition;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

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

  /** How a broken backend searches when the filter has a metadata condition. */
  interface ConditionSearch {
    /** The hits for {@code filter}, whose condition is {@code condition}. */
    List<Hit> search(
        ForwardingStore store, float[] query, int k, Filter filter, Condition condition)
        throws IOException;
  }

  /** A store like {@code inner}, that searches by {@code how} when the filter has a condition. */
  static ForwardingStore searchingConditions(VectorStore inner, ConditionSearch how) {
    return new ForwardingStore(inner) {
      @Override
      public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
        if (filter.condition().isEmpty()) return inner.search(query, k, filter);
        return how.search(this, query, k, filter, filter.condition().get());
      }
    };
  }

  /**
   * The best {@code k} records of the filter's modalities that {@code keep} accepts, ignoring the
   * filter's condition: how a broken backend evaluates a condition its own (wrong) way.
   */
  List<Hit> searchKeeping(float[] query, int k, Filter filter, Predicate<Hit> keep)
      throws IOException {
    int all = (int) Math.max(1, Math.min(10_000, inner.count()));
    return inner.search(query, all, Filter.of(filter.modalities(), null)).stream()
        .filter(keep)
        .limit(k)
        .toList();
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
