package dev.tessera.conformance.broken;

import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Broken backends for the kit tests that no other broken backend failed: each wraps the memory
 * store and makes one mistake a backend author makes, so that every kit test is shown failing a
 * store (see {@code KitProofTest}).
 */
public final class CoverageBrokenProviders {
  private CoverageBrokenProviders() {}

  /** get() rebuilds a record without its modality: every record reads back as text. */
  public static final class GetForgetsModality extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public Optional<Item> get(String id) throws IOException {
          return inner.get(id).map(GetForgetsModality::asText);
        }
      };
    }

    static Item asText(Item it) {
      return new Item(
          it.id(),
          new dev.tessera.api.Embedding(
              it.embedding().vector(), it.embedding().fingerprint(), Modality.TEXT),
          it.metadata(),
          it.source());
    }
  }

  /** get() wraps a map lookup in {@code Optional.of}: an unknown id throws instead of empty. */
  public static final class GetThrowsForUnknownId extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public Optional<Item> get(String id) throws IOException {
          return Optional.of(inner.get(id).orElse(null));
        }
      };
    }
  }

  /** count() is a counter of writes: a replace counts as a new record, a missing delete as one. */
  public static final class CountsWritesNotRecords extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        private long written = countOf(inner);

        @Override
        public synchronized void upsert(List<Item> items) throws IOException {
          inner.upsert(items);
          written += items.size();
        }

        @Override
        public synchronized void delete(List<String> ids) throws IOException {
          inner.delete(ids);
          written -= ids.size();
        }

        @Override
        public synchronized long count() throws IOException {
          inner.count(); // still refuses after close
          return written;
        }
      };
    }

    private static long countOf(VectorStore s) {
      try {
        return s.count();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** delete() of an empty list drops its WHERE clause and deletes every record. */
  public static final class EmptyDeleteDeletesAll extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public void delete(List<String> ids) throws IOException {
          if (!ids.isEmpty()) {
            inner.delete(ids);
            return;
          }
          List<String> all = new ArrayList<>();
          inner.forEach(it -> all.add(it.id()));
          inner.delete(all);
        }
      };
    }
  }

  /** forEach() visits only the first page of 32 records. */
  public static final class ForEachFirstPageOnly extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public void forEach(Consumer<? super Item> action) throws IOException {
          int[] seen = {0};
          inner.forEach(
              it -> {
                if (seen[0]++ < 32) action.accept(it);
              });
        }
      };
    }
  }

  /** search() serves the searcher of the last commit: records written since are not found. */
  public static final class SearchSeesOnlyCommits extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        private final Set<String> sinceCommit = ConcurrentHashMap.newKeySet();

        @Override
        public void upsert(List<Item> items) throws IOException {
          inner.upsert(items);
          for (Item it : items) sinceCommit.add(it.id());
        }

        @Override
        public void commit() throws IOException {
          inner.commit();
          sinceCommit.clear();
        }

        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          int all = (int) Math.max(k, Math.min(10_000, inner.count()));
          return inner.search(query, all, filter).stream()
              .filter(h -> !sinceCommit.contains(h.id()))
              .limit(k)
              .toList();
        }
      };
    }
  }

  /** search() on an empty store throws: the graph has no entry point yet. */
  public static final class EmptyStoreSearchThrows extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          if (inner.count() == 0) throw new IllegalStateException("the graph has no entry point");
          return inner.search(query, k, filter);
        }
      };
    }
  }

  /** search() clamps k to count - 1 when k reaches the count (an off-by-one on the entry point). */
  public static final class OffByOneWhenKExceedsCount extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          long n = inner.count();
          if (k >= 1 && n > 1 && k >= n) k = (int) n - 1;
          return inner.search(query, k, filter);
        }
      };
    }
  }

  /**
   * A read-only open loads only the store's checkpoint and skips its commit log, so it sees none of
   * the records committed since the store was created.
   */
  public static final class ReadOnlyOpenSkipsTheLog extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner);
    }

    @Override
    public VectorStore open(StoreContext context) throws IOException {
      VectorStore store = super.open(context);
      if (!context.readOnly()) return store;
      return new ForwardingStore(store) {
        @Override
        public Optional<Item> get(String id) throws IOException {
          inner.get(id);
          return Optional.empty();
        }

        @Override
        public long count() throws IOException {
          inner.count();
          return 0;
        }

        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          inner.search(query, k, filter);
          return List.of();
        }

        @Override
        public void forEach(Consumer<? super Item> action) throws IOException {
          inner.forEach(it -> {});
        }

        @Override
        public List<float[]> sample(Modality modality, int n) {
          return List.of();
        }
      };
    }
  }

  /**
   * An IVF index with 64 lists that probes only the query's own list once it is trained (256
   * records): every record is found by its own vector, but neighbours in other lists are missed.
   */
  public static final class ProbesOneList extends BrokenProviders.Wrapping {
    static final int HYPERPLANES = 6;

    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          long n = inner.count();
          if (n < 256) return inner.search(query, k, filter);
          int list = list(query);
          List<Hit> out = new ArrayList<>();
          for (Hit h : inner.search(query, (int) Math.min(10_000, n), filter)) {
            if (out.size() == k) break;
            Optional<Item> it = inner.get(h.id());
            if (it.isPresent() && list(it.get().embedding().vector()) == list) out.add(h);
          }
          return out;
        }
      };
    }

    static int list(float[] v) {
      Random planes = new Random(v.length);
      int cell = 0;
      for (int p = 0; p < HYPERPLANES; p++) {
        double dot = 0;
        for (float x : v) dot += x * planes.nextGaussian();
        if (dot > 0) cell |= 1 << p;
      }
      return cell;
    }
  }

  /**
   * A read-only open takes the same exclusive lock as a writer, so no reader opens beside a writer.
   */
  public static final class ReaderTakesTheWriteLock extends BrokenProviders.Wrapping {
    private static final Map<Path, Integer> WRITERS = new ConcurrentHashMap<>();

    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner);
    }

    @Override
    public VectorStore create(StoreContext context, dev.tessera.api.ModelFingerprint fp)
        throws IOException {
      return registered(context, super.create(context, fp));
    }

    @Override
    public VectorStore open(StoreContext context) throws IOException {
      Path dir = context.directory().toAbsolutePath().normalize();
      if (context.readOnly() && WRITERS.getOrDefault(dir, 0) > 0) {
        throw new IOException("Cannot lock " + dir + ": it is locked by a writer.");
      }
      return context.readOnly() ? super.open(context) : registered(context, super.open(context));
    }

    private static VectorStore registered(StoreContext context, VectorStore store) {
      Path dir = context.directory().toAbsolutePath().normalize();
      WRITERS.merge(dir, 1, Integer::sum);
      return new ForwardingStore(store) {
        private boolean closed;

        @Override
        public synchronized void close() throws IOException {
          if (!closed) WRITERS.merge(dir, -1, Integer::sum);
          closed = true;
          inner.close();
        }
      };
    }
  }

  /**
   * Writes go to an unsynchronized write-behind buffer (a plain {@code ArrayList}) that every read
   * and commit drains: concurrent callers lose writes or see a broken list.
   */
  public static final class UnsynchronizedWriteBuffer extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        private final List<IoAction> pending = new ArrayList<>();

        interface IoAction {
          void run() throws IOException;
        }

        private void drain() throws IOException {
          List<IoAction> todo = new ArrayList<>(pending);
          // The window a real buffer has while it copies, held open for a millisecond (a slow
          // copy): with only a yield here the kit's concurrent writers missed it now and then on a
          // loaded machine, and the kit proof failed although the kit was right.
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          pending.clear();
          for (IoAction a : todo) a.run();
        }

        @Override
        public void upsert(List<Item> items) throws IOException {
          inner.count(); // refuses after close
          List<Item> copy = List.copyOf(items);
          pending.add(() -> inner.upsert(copy));
        }

        @Override
        public void delete(List<String> ids) throws IOException {
          inner.count();
          List<String> copy = List.copyOf(ids);
          pending.add(() -> inner.delete(copy));
        }

        @Override
        public Optional<Item> get(String id) throws IOException {
          drain();
          return inner.get(id);
        }

        @Override
        public long count() throws IOException {
          drain();
          return inner.count();
        }

        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          drain();
          return inner.search(query, k, filter);
        }

        @Override
        public void forEach(Consumer<? super Item> action) throws IOException {
          drain();
          inner.forEach(action);
        }

        @Override
        public List<float[]> sample(Modality modality, int n) throws IOException {
          drain();
          return inner.sample(modality, n);
        }

        @Override
        public void commit() throws IOException {
          drain();
          inner.commit();
        }
      };
    }
  }

  /** description() is a paragraph copied from the vendor's documentation, over several lines. */
  public static final class DescribesOnSeveralLines extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner);
    }

    @Override
    public String description() {
      return "A broken store.\nIt keeps its records in memory\nand writes a snapshot.";
    }
  }

  /** A second close() throws instead of doing nothing. */
  public static final class SecondCloseThrows extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        private boolean closed;

        @Override
        public synchronized void close() throws IOException {
          if (closed) throw new dev.tessera.api.ClosedException("The store");
          closed = true;
          inner.close();
        }
      };
    }
  }

  /** The kit tests that must catch each of these. */
  static Map<Class<? extends BrokenProviders.Wrapping>, List<String>> caughtBy() {
    Map<Class<? extends BrokenProviders.Wrapping>, List<String>> m = new LinkedHashMap<>();
    m.put(GetForgetsModality.class, List.of("should_return_an_upserted_record_whole_by_get"));
    m.put(GetThrowsForUnknownId.class, List.of("should_return_empty_for_an_unknown_id"));
    m.put(
        CountsWritesNotRecords.class,
        List.of("should_count_records_after_upserts_replaces_and_deletes"));
    m.put(EmptyDeleteDeletesAll.class, List.of("should_do_nothing_for_an_empty_batch"));
    m.put(ForEachFirstPageOnly.class, List.of("should_visit_every_record_once_with_forEach"));
    m.put(SearchSeesOnlyCommits.class, List.of("should_see_its_own_writes_before_commit"));
    m.put(EmptyStoreSearchThrows.class, List.of("should_return_no_hits_from_an_empty_store"));
    m.put(
        OffByOneWhenKExceedsCount.class,
        List.of("should_return_every_record_when_k_exceeds_the_count"));
    m.put(
        ReadOnlyOpenSkipsTheLog.class, List.of("should_open_read_only_with_everything_committed"));
    m.put(
        ProbesOneList.class,
        List.of(
            "should_reach_the_minimum_recall_on_clustered_vectors",
            "should_reach_the_minimum_recall_on_mixed_modality_clip_like_vectors"));
    m.put(
        ReaderTakesTheWriteLock.class,
        List.of(
            "should_refuse_a_second_writer_in_this_process_and_serve_readers_beside_the_writer"));
    m.put(
        UnsynchronizedWriteBuffer.class,
        List.of("should_stay_consistent_under_concurrent_writers_and_readers"));
    m.put(
        DescribesOnSeveralLines.class,
        List.of("should_name_and_describe_the_provider_as_the_spi_says"));
    m.put(SecondCloseThrows.class, List.of("should_ignore_a_second_close"));
    return m;
  }
}
