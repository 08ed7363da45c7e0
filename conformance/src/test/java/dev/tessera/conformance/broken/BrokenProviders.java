package dev.tessera.conformance.broken;

import dev.tessera.api.ClosedException;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.store.memory.MemoryStoreProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deliberately broken backends: each wraps the correct memory store and breaks one rule of the
 * {@link VectorStore} contract. Public with no-argument constructors so the kit's crash test can
 * start them in a writer process by class name.
 */
public final class BrokenProviders {
  private BrokenProviders() {}

  /** Wraps every store the memory provider makes or opens. */
  public abstract static class Wrapping implements VectorStoreProvider {
    private final MemoryStoreProvider memory = new MemoryStoreProvider();

    abstract VectorStore wrap(VectorStore inner, boolean opened);

    @Override
    public String name() {
      return "memory"; // the api checks the manifest's store name against the provider's
    }

    @Override
    public String description() {
      return "broken on purpose: " + getClass().getSimpleName();
    }

    @Override
    public VectorStore create(StoreContext context, ModelFingerprint fingerprint)
        throws IOException {
      return wrap(memory.create(context, fingerprint), false);
    }

    @Override
    public VectorStore open(StoreContext context) throws IOException {
      return wrap(memory.open(context), true);
    }
  }

  /** delete() does nothing. */
  public static final class IgnoresDelete extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public void delete(List<String> ids) {}
      };
    }
  }

  /** upsert() keeps the old record when the id exists. */
  public static final class IgnoresReplace extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public void upsert(List<Item> items) throws IOException {
          List<Item> fresh = new ArrayList<>();
          for (Item it : items) if (inner.get(it.id()).isEmpty()) fresh.add(it);
          inner.upsert(fresh);
        }
      };
    }
  }

  /** search() returns the right hits worst first. */
  public static final class WrongOrder extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          List<Hit> hits = new ArrayList<>(inner.search(query, k, filter));
          Collections.reverse(hits);
          return hits;
        }
      };
    }
  }

  /** Ties are broken by descending id. */
  public static final class BreaksTiesWrongly extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          List<Hit> hits =
              new ArrayList<>(
                  inner.search(
                      query,
                      (int) Math.min(Integer.MAX_VALUE - 1, Math.max(k, inner.count())),
                      filter));
          hits.sort(
              Comparator.comparingDouble((Hit h) -> -h.score())
                  .thenComparing(Hit::id, Comparator.reverseOrder()));
          return hits.subList(0, Math.min(k, hits.size()));
        }
      };
    }
  }

  /** Scores are negated squared distances under euclidean: right order, wrong scale. */
  public static final class WrongScoreScale extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          List<Hit> hits = inner.search(query, k, filter);
          if (inner.fingerprint().similarity() != Similarity.EUCLIDEAN) return hits;
          return hits.stream()
              .map(
                  h ->
                      new Hit(h.id(), -(1 / h.score() - 1), h.modality(), h.metadata(), h.source()))
              .toList();
        }
      };
    }
  }

  /** A reopened store is empty. */
  public static final class LosesDataOnReopen extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) throws RuntimeException {
      if (opened) {
        try {
          List<String> all = new ArrayList<>();
          inner.forEach(it -> all.add(it.id()));
          inner.delete(all);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return new ForwardingStore(inner);
    }
  }

  /** commit() persists everything but the last upserted batch (still visible until close). */
  public static final class DropsLastBatchBeforeCommit extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        private List<Item> last = List.of();

        @Override
        public synchronized void upsert(List<Item> items) throws IOException {
          inner.upsert(items);
          last = List.copyOf(items);
        }

        @Override
        public synchronized void commit() throws IOException {
          inner.delete(last.stream().map(Item::id).toList());
          inner.commit();
          inner.upsert(last);
        }
      };
    }
  }

  /** search() ignores the filter. */
  public static final class IgnoresFilters extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          return inner.search(query, k, Filter.ALL);
        }
      };
    }
  }

  /** The filter is applied to the unfiltered top k, so selective filters return too few hits. */
  public static final class PostFiltersTopK extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          // over-fetching 3x, as post-filtering stores often do, is still not enough for a 1 %
          // filter
          return inner.search(query, k * 3, Filter.ALL).stream()
              .filter(h -> filter.matches(h.modality(), h.metadata()))
              .limit(k)
              .toList();
        }
      };
    }
  }

  /** Deleted records disappear from get and count but still come back from search. */
  public static final class ReturnsDeletedIds extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        private final Map<String, Item> ghosts = new ConcurrentHashMap<>();

        @Override
        public void delete(List<String> ids) throws IOException {
          for (String id : ids) inner.get(id).ifPresent(it -> ghosts.put(id, it));
          inner.delete(ids);
        }

        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          List<Hit> hits = new ArrayList<>(inner.search(query, k, filter));
          Similarity sim = inner.fingerprint().similarity();
          for (Item g : ghosts.values())
            if (filter.matches(g))
              hits.add(Hit.of(g, QueryScorer.of(sim, query).score(g.embedding().vector())));
          hits.sort(Hit.ORDER);
          return hits.subList(0, Math.min(k, hits.size()));
        }
      };
    }
  }

  /** A reopened store reports a fingerprint of its own instead of the one it was created with. */
  public static final class ForgetsFingerprint extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public ModelFingerprint fingerprint() {
          ModelFingerprint fp = inner.fingerprint();
          return opened
              ? ModelFingerprint.declared(
                  "unknown", fp.dimension(), fp.similarity(), fp.normalized(), "default")
              : fp;
        }
      };
    }
  }

  /** Calls after close() still work. */
  public static final class UsableAfterClose extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public void close() {
          // forgets to close the inner store, so every later call still succeeds
        }
      };
    }
  }

  /** search(k=0) returns an empty list instead of refusing it. */
  public static final class AcceptsZeroK extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          return k < 1 ? List.of() : inner.search(query, k, filter);
        }
      };
    }
  }

  /**
   * commit() only marks the store dirty; the data reaches disk on close(), so a killed writer loses
   * it.
   */
  public static final class CommitsOnlyOnClose extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        private volatile boolean closed;

        @Override
        public void commit() {
          if (closed) throw new ClosedException("The lazy store");
        }

        @Override
        public void close() throws IOException {
          if (closed) return;
          closed = true;
          inner.commit();
          inner.close();
        }
      };
    }
  }

  /**
   * Upserts of a batch are made durable one record at a time, and close() commits whatever is
   * there.
   */
  public static final class CommitsHalfABatchOnClose extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        private List<Item> pending = List.of();

        @Override
        public synchronized void upsert(List<Item> items) throws IOException {
          inner.upsert(items);
          pending = List.copyOf(items);
        }

        @Override
        public synchronized void commit() throws IOException {
          pending = List.of();
          inner.commit();
        }

        @Override
        public synchronized void close() throws IOException {
          // "flushes" the first half of the pending batch on close
          try {
            inner.delete(
                pending.subList(pending.size() / 2, pending.size()).stream()
                    .map(Item::id)
                    .toList());
            inner.commit();
          } catch (ClosedException e) {
            // already closed
          }
          inner.close();
        }
      };
    }
  }

  /**
   * sample() draws from every vector ever written of the modality, deleted and replaced ones too.
   */
  public static final class SamplesDeletedRecords extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        private final List<Item> everWritten = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void upsert(List<Item> items) throws IOException {
          inner.upsert(items);
          everWritten.addAll(items);
        }

        @Override
        public List<float[]> sample(Modality modality, int n) {
          synchronized (everWritten) {
            return everWritten.stream()
                .filter(i -> i.modality() == modality)
                .limit(n)
                .map(i -> i.embedding().vector())
                .toList();
          }
        }
      };
    }
  }

  /** sample() returns nothing, so the api can not calibrate and falls back to the raw order. */
  public static final class SamplesNothing extends Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<float[]> sample(Modality modality, int n) {
          return List.of();
        }
      };
    }
  }

  /** The kit's expectations: each broken provider and the kit tests that must catch it. */
  public static Map<Class<? extends Wrapping>, List<String>> caughtBy() {
    Map<Class<? extends Wrapping>, List<String>> m = new java.util.LinkedHashMap<>();
    m.put(
        IgnoresDelete.class,
        List.of(
            "should_delete_an_existing_id_and_ignore_a_missing_one",
            "should_never_return_deleted_records"));
    m.put(
        IgnoresReplace.class,
        List.of(
            "should_replace_vector_metadata_and_source_when_an_id_is_upserted_again",
            "should_find_a_replaced_record_only_by_its_new_vector"));
    m.put(WrongOrder.class, List.of("should_return_hits_best_first_scored_on_the_similarity"));
    m.put(BreaksTiesWrongly.class, List.of("should_break_score_ties_by_ascending_id"));
    m.put(WrongScoreScale.class, List.of("should_return_hits_best_first_scored_on_the_similarity"));
    m.put(
        LosesDataOnReopen.class,
        List.of("should_keep_everything_committed_across_close_and_reopen"));
    m.put(
        DropsLastBatchBeforeCommit.class,
        List.of("should_keep_everything_committed_across_close_and_reopen"));
    m.put(
        IgnoresFilters.class,
        List.of("should_filter_by_modality", "should_filter_by_metadata_equality"));
    m.put(
        PostFiltersTopK.class,
        List.of("should_return_k_hits_for_a_filter_matching_under_one_percent"));
    m.put(ReturnsDeletedIds.class, List.of("should_never_return_deleted_records"));
    m.put(
        ForgetsFingerprint.class,
        List.of(
            "should_report_its_fingerprint_after_reopen",
            "should_be_refused_through_the_api_when_opened_with_another_fingerprint"));
    m.put(
        UsableAfterClose.class, List.of("should_throw_ClosedException_for_every_call_after_close"));
    m.put(AcceptsZeroK.class, List.of("should_reject_k_below_one"));
    m.put(
        CommitsOnlyOnClose.class,
        List.of(
            "should_keep_every_committed_record_when_the_writer_process_is_killed",
            "should_refuse_a_writer_while_another_process_writes_and_open_after_it_is_killed",
            "should_discard_uncommitted_writes_on_close"));
    m.put(
        CommitsHalfABatchOnClose.class,
        List.of("should_keep_an_uncommitted_batch_all_or_nothing_after_reopen"));
    m.put(
        SamplesDeletedRecords.class,
        List.of(
            "should_sample_at_most_n_live_vectors_of_one_modality_the_same_way_for_the_same_state"));
    m.put(
        SamplesNothing.class,
        List.of(
            "should_sample_at_most_n_live_vectors_of_one_modality_the_same_way_for_the_same_state",
            "should_find_the_paired_record_of_the_other_modality_in_an_unfiltered_calibrated_search"));
    return m;
  }
}
