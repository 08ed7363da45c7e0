package dev.tessera.api.spi;

import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Source;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A backend's store of one collection generation. Implementations see only data that passed the
 * api's gate: fingerprints already match, vectors are valid, and a batch holds each id at most
 * once.
 *
 * <p>The contract, checked by the conformance kit:
 *
 * <ul>
 *   <li>{@link #upsert}: a record with an existing id replaces it whole (vector, metadata, source).
 *   <li>{@link #delete}: removes the ids; ids that are not there are ignored.
 *   <li>Reads ({@link #get}, {@link #count}, {@link #search}, {@link #forEach}) see every write of
 *       this instance that returned, committed or not.
 *   <li>{@link #commit}: everything written before it is durable when it returns; after a crash the
 *       store reopens with exactly the state of some commit — a batch is never half there.
 *   <li>{@link #search}: at most k hits matching the filter, best first, scored on the
 *       fingerprint's similarity as {@link dev.tessera.api.Similarity} defines it, ties broken by
 *       ascending id. The filter is applied inside the search, so k hits come back whenever k
 *       records match. {@code k < 1} throws {@link IllegalArgumentException}; a k larger than the
 *       store returns every match.
 *   <li>Thread safety: any number of threads may read and write at once.
 *   <li>Read-only ({@link StoreContext#readOnly()}): the api never writes to such a store (the
 *       collection refuses writes first); a store may throw on writes or accept them in memory
 *       only, but must not take a write lock or change its files.
 *   <li>{@link #close}: a second close does nothing; any other call after close throws {@link
 *       dev.tessera.api.ClosedException}. Uncommitted writes are discarded by close.
 * </ul>
 */
public interface VectorStore extends AutoCloseable {
  /** The fingerprint this store was created with, read back from its own files after a reopen. */
  ModelFingerprint fingerprint();

  /** Inserts or replaces each record. */
  void upsert(List<Item> items) throws IOException;

  /** Removes the records with these ids; missing ids are ignored. */
  void delete(List<String> ids) throws IOException;

  /** The record with this id, or empty. */
  Optional<Item> get(String id) throws IOException;

  /** How many records there are. */
  long count() throws IOException;

  /**
   * The best {@code k} records passing {@code filter} for {@code query} (of the fingerprint's
   * dimension).
   */
  List<Hit> search(float[] query, int k, Filter filter) throws IOException;

  /** Calls {@code action} once for every record, in no particular order. */
  void forEach(Consumer<? super Item> action) throws IOException;

  /**
   * Calls {@code visitor} once for every record with everything but its vector, in no particular
   * order; for jobs such as folder sync that need ids and metadata only. The default reads whole
   * records through {@link #forEach}; a store that keeps vectors apart should not read them here.
   */
  default void forEachRecord(RecordVisitor visitor) throws IOException {
    forEach(i -> visitor.visit(i.id(), i.modality(), i.metadata(), i.source()));
  }

  /** What {@link #forEachRecord} calls per record. */
  @FunctionalInterface
  interface RecordVisitor {
    /** One record's id, modality, metadata and source. */
    void visit(String id, Modality modality, Metadata metadata, Source source);
  }

  /**
   * Up to {@code n} vectors of live records of {@code modality}, spread over the store: the api
   * scores queries against them to rank both modalities on one scale (the modality gap). Fewer only
   * when fewer such records exist; the same store state gives the same sample (e.g. records at
   * evenly spaced positions in the store's own order). The default draws them with a scan through
   * {@link #forEach}; stores should override it with something cheaper.
   */
  default List<float[]> sample(Modality modality, int n) throws IOException {
    return StoreSamples.byScan(this, modality, n);
  }

  /** Makes every write so far durable. */
  void commit() throws IOException;

  /** Releases the store; uncommitted writes are discarded. */
  @Override
  void close() throws IOException;
}
