package dev.tessera.conformance.broken;

import dev.tessera.api.ClosedException;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A naive in-memory store as a vendor might write it first: an {@link ArrayList} of records, a
 * {@link HashMap} from id to slot, a swap-with-last delete, and no lock anywhere. It breaks exactly
 * one rule, {@link VectorStore}'s "any number of threads may read and write at once"; used one
 * thread at a time it is correct (it keeps nothing on disk and says so: its kit declares {@code
 * supportsPersistence() = false}).
 */
public final class UnsynchronizedProvider implements VectorStoreProvider {
  /** For the kit, by class name. */
  public UnsynchronizedProvider() {}

  @Override
  public String name() {
    return "unsynchronized";
  }

  @Override
  public String description() {
    return "broken on purpose: a plain ArrayList and HashMap with no lock";
  }

  @Override
  public VectorStore create(StoreContext context, ModelFingerprint fingerprint) {
    return new UnsynchronizedStore(fingerprint);
  }

  @Override
  public VectorStore open(StoreContext context) throws IOException {
    throw new IOException(
        "This store keeps nothing on disk; " + context.directory() + " can not be reopened.");
  }

  private static final class UnsynchronizedStore implements VectorStore {
    private final ModelFingerprint fingerprint;
    private final List<Item> items = new ArrayList<>();
    private final Map<String, Integer> slots = new HashMap<>();
    private boolean closed;

    UnsynchronizedStore(ModelFingerprint fingerprint) {
      this.fingerprint = fingerprint;
    }

    private void ensureOpen() {
      if (closed) throw new ClosedException("The unsynchronized store");
    }

    @Override
    public ModelFingerprint fingerprint() {
      ensureOpen();
      return fingerprint;
    }

    @Override
    public void upsert(List<Item> batch) {
      ensureOpen();
      for (Item it : batch) {
        Integer slot = slots.get(it.id());
        if (slot != null) {
          items.set(slot, it);
        } else {
          slots.put(it.id(), items.size());
          items.add(it);
        }
      }
    }

    @Override
    public void delete(List<String> ids) {
      ensureOpen();
      for (String id : ids) {
        Integer slot = slots.remove(id);
        if (slot == null) continue;
        Item last = items.remove(items.size() - 1);
        if (slot < items.size()) {
          items.set(slot, last); // the last record fills the hole
          slots.put(last.id(), slot);
        }
      }
    }

    @Override
    public Optional<Item> get(String id) {
      ensureOpen();
      Integer slot = slots.get(id);
      return slot == null ? Optional.empty() : Optional.of(items.get(slot));
    }

    @Override
    public long count() {
      ensureOpen();
      return items.size();
    }

    @Override
    public List<Hit> search(float[] query, int k, Filter filter) {
      ensureOpen();
      if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k + ".");
      QueryScorer scorer = QueryScorer.of(fingerprint.similarity(), query);
      List<Hit> hits = new ArrayList<>();
      for (Item it : items) {
        if (filter.matches(it)) hits.add(Hit.of(it, scorer.score(it.embedding().vector())));
      }
      hits.sort(Hit.ORDER);
      return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
    }

    @Override
    public void forEach(Consumer<? super Item> action) {
      ensureOpen();
      for (Item it : items) action.accept(it);
    }

    @Override
    public void commit() {
      ensureOpen(); // nothing on disk to make durable
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
