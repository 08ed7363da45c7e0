package dev.tessera.conformance;

import dev.tessera.api.Query;
import dev.tessera.api.spi.VectorStore;

/**
 * The conformance kit: every {@link VectorStore} contract check, inherited by extending this class.
 *
 * <p>The checks live in parts, one per concern (records, search, recall, metadata filters,
 * lifecycle, other processes, concurrency, the provider, a damaged store), each a package-private
 * class that this one extends; the hooks are those of {@code ConformanceSupport}, the first part.
 *
 * <p>A backend's test extends it and implements {@link #provider()}; it may override {@link
 * #settings()}, {@link #minimumRecall()}, the capability hooks ({@code supports…()}, safe default
 * {@code true}: the check runs unless the backend declares it lacks the feature, and a declared
 * lack shows as a skipped test naming the hook) and the size hooks. Random data comes from {@link
 * #seed()}; a failing test prints its seed to stderr (rerun with {@code -D}{@value
 * #SEED_PROPERTY}{@code =<seed>}), and {@code -D}{@value #VERBOSE_PROPERTY}{@code =true} prints
 * every test's seed and measured recall.
 *
 * <p>Decisions the kit enforces where the {@link VectorStore} javadoc leaves room: {@code search}
 * with {@code k < 1} throws {@link IllegalArgumentException} (the api's {@link Query} never passes
 * one); {@code close} discards uncommitted writes, and after a reopen an uncommitted batch is never
 * half there.
 */
public abstract class VectorStoreConformance extends IntegrityContract {
  /** For subclasses: a backend's test extends this class. */
  protected VectorStoreConformance() {}
}
