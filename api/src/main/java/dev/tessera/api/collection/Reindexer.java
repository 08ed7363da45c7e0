package dev.tessera.api.collection;

import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Query;
import dev.tessera.api.Source;
import dev.tessera.api.TesseraException;
import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.api.spi.VectorStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Re-embeds every record of a collection from its source with another encoder into a new
 * generation, verifies it, and switches the collection to it atomically.
 *
 * <p>The live generation keeps serving readers until the switch and stays on disk afterwards (drop
 * it with {@link Generations#drop}). Every batch is committed, so a run that is killed resumes
 * where it stopped when started again with the same encoder and store. Records without a source,
 * and records whose source can no longer be embedded, are listed in the report; unless {@link
 * #allowIncomplete(boolean)} is set the new generation is then NOT published, so nothing is dropped
 * silently. Works on a snapshot of the live records taken at the start: writes to the live
 * collection during a run are not carried over.
 */
public final class Reindexer {
  /** Progress callbacks; every method has a no-op default. */
  public interface Listener {
    /**
     * Called once with the number of records to re-embed and how many were already done by an
     * earlier run.
     */
    default void started(long total, long alreadyDone) {}

    /** Called after each committed batch with the records done so far (resumed ones included). */
    default void progress(long done, long total) {}
  }

  /** What a run did. */
  public record Report(
      String fromGeneration,
      String toGeneration,
      long total,
      long reembedded,
      long resumed,
      List<String> withoutSource,
      Map<String, String> failed,
      boolean published) {
    /** Copies the lists. */
    public Report {
      withoutSource = List.copyOf(withoutSource);
      failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    }
  }

  private final Path directory;
  private final MultiModalEncoder encoder;
  private VectorStoreProvider provider;
  private Map<String, String> settings;
  private int batchSize = 32;
  private int spotChecks = 5;
  private boolean allowIncomplete;
  private Function<String, Path> imageResolver = Path::of;
  private Listener listener = new Listener() {};

  private Map<String, String> hints = Map.of();

  private Reindexer(Path directory, MultiModalEncoder encoder) {
    this.directory = directory.toAbsolutePath();
    this.encoder = Objects.requireNonNull(encoder, "encoder");
  }

  /** A reindex of the collection in {@code directory} with {@code encoder}. */
  public static Reindexer of(Path directory, MultiModalEncoder encoder) {
    return new Reindexer(directory, encoder);
  }

  /** The store of the new generation; defaults to the live generation's store. */
  public Reindexer store(VectorStoreProvider provider) {
    this.provider = Objects.requireNonNull(provider, "provider");
    return this;
  }

  /**
   * Store settings of the new generation; default: the live generation's when the store is the
   * same.
   */
  public Reindexer settings(Map<String, String> settings) {
    this.settings = Map.copyOf(settings);
    return this;
  }

  /** Records embedded and committed together (1..4096, default 32). */
  public Reindexer batchSize(int batchSize) {
    if (batchSize < 1 || batchSize > 4096)
      throw new IllegalArgumentException("batch size must be 1..4096, got " + batchSize);
    this.batchSize = batchSize;
    return this;
  }

  /**
   * How many records are searched for themselves in the new generation before the switch (default
   * 5).
   */
  public Reindexer spotChecks(int spotChecks) {
    this.spotChecks = Math.max(0, spotChecks);
    return this;
  }

  /**
   * Publish even when some records could not be re-embedded (they are then not in the new
   * generation).
   */
  public Reindexer allowIncomplete(boolean allowIncomplete) {
    this.allowIncomplete = allowIncomplete;
    return this;
  }

  /** How an image source's location becomes a file; default {@code Path.of(location)}. */
  public Reindexer imageResolver(Function<String, Path> imageResolver) {
    this.imageResolver = Objects.requireNonNull(imageResolver, "imageResolver");
    return this;
  }

  /**
   * Hints of the new generation (e.g. {@link GenerationManifest#MODEL_HINT}), over those carried
   * from the live one; a model hint is carried only when the model stays the same.
   */
  public Reindexer hints(Map<String, String> hints) {
    this.hints = Map.copyOf(hints);
    return this;
  }

  /** Progress callbacks. */
  public Reindexer listener(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  private Map<String, String> hintsFor(GenerationManifest live, ModelFingerprint target) {
    Map<String, String> h = new java.util.TreeMap<>(live.hints());
    if (!live.fingerprint().equals(target)) h.remove(GenerationManifest.MODEL_HINT);
    h.putAll(hints);
    return h;
  }

  /** Runs the reindex; see the class comment. */
  public Report run() {
    ModelFingerprint target = encoder.fingerprint();
    List<Item> sources = new ArrayList<>();
    String from;
    GenerationManifest live;
    try (VectorCollection current = VectorCollection.open(directory, null, null, true)) {
      from = current.generation();
      live = current.manifest();
      current.forEach(sources::add);
    }
    VectorStoreProvider p = provider != null ? provider : VectorStores.provider(live.store());
    Map<String, String> s =
        settings != null ? settings : (p.name().equals(live.store()) ? live.settings() : Map.of());

    List<String> withoutSource = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
    List<Item> todo = new ArrayList<>();
    for (Item item : sources) {
      if (item.source().isPresent()) todo.add(item);
      else withoutSource.add(item.id());
    }
    todo.sort((a, b) -> a.id().compareTo(b.id()));

    try (VectorCollection next = Generations.stage(directory, p, target, s)) {
      Set<String> done = new HashSet<>();
      for (Map.Entry<String, String> h : hintsFor(live, target).entrySet()) {
        next.setHint(h.getKey(), h.getValue());
      }
      next.forEachRecord((id, modality, metadata, source) -> done.add(id));
      long resumed = todo.stream().filter(i -> done.contains(i.id())).count();
      listener.started(todo.size(), resumed);
      long reembedded = 0;
      long progress = resumed;
      List<Item> batch = new ArrayList<>();
      for (Item item : todo) {
        if (done.contains(item.id())) continue;
        batch.add(item);
        if (batch.size() == batchSize) {
          reembedded += embedBatch(batch, next, failed);
          progress += batch.size();
          listener.progress(progress, todo.size());
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        reembedded += embedBatch(batch, next, failed);
        progress += batch.size();
        listener.progress(progress, todo.size());
      }
      verify(next, todo.size() - failed.size(), target);
      boolean complete = withoutSource.isEmpty() && failed.isEmpty();
      boolean publish = complete || allowIncomplete;
      if (publish) next.publish();
      return new Report(
          from,
          next.generation(),
          sources.size(),
          reembedded,
          resumed,
          withoutSource,
          failed,
          publish);
    }
  }

  private long embedBatch(List<Item> batch, VectorCollection next, Map<String, String> failed) {
    List<Item> texts = new ArrayList<>();
    List<Item> images = new ArrayList<>();
    for (Item i : batch) (i.source() instanceof Source.Text ? texts : images).add(i);
    List<Item> out = new ArrayList<>(batch.size());
    if (!texts.isEmpty()) {
      List<Embedding> es =
          encoder.embedTexts(texts.stream().map(i -> ((Source.Text) i.source()).text()).toList());
      for (int k = 0; k < texts.size(); k++) out.add(texts.get(k).withEmbedding(es.get(k)));
    }
    if (!images.isEmpty()) {
      List<Path> paths = new ArrayList<>();
      for (Item i : images) paths.add(imageResolver.apply(((Source.Image) i.source()).location()));
      List<EmbeddingResult> rs = encoder.embedImages(paths);
      for (int k = 0; k < images.size(); k++) {
        EmbeddingResult r = rs.get(k);
        if (r.isSuccess()) out.add(images.get(k).withEmbedding(r.embedding()));
        else failed.put(images.get(k).id(), r.error().getMessage());
      }
    }
    next.upsert(out);
    next.commit();
    return out.size();
  }

  private void verify(VectorCollection next, long expected, ModelFingerprint target) {
    if (!next.fingerprint().equals(target)) {
      throw new TesseraException(
          "Reindex check failed: the new generation has fingerprint "
              + next.fingerprint()
              + ", expected "
              + target
              + ".");
    }
    long count = next.count();
    if (count != expected) {
      throw new TesseraException(
          "Reindex check failed: the new generation "
              + next.generation()
              + " holds "
              + count
              + " records, expected "
              + expected
              + ". It was not published; run the reindex again.");
    }
    List<Item> sample = new ArrayList<>();
    next.forEach(
        i -> {
          if (sample.size() < spotChecks) sample.add(i);
        });
    for (Item i : sample) {
      List<Hit> hits = next.search(Query.of(i.embedding()).k(10).only(i.modality()));
      boolean found =
          !hits.isEmpty()
              && hits.stream()
                  .anyMatch(h -> h.id().equals(i.id()) && h.score() >= hits.get(0).score() - 1e-4f);
      if (!found) {
        throw new TesseraException(
            "Reindex check failed: record '"
                + i.id()
                + "' is not found by its own vector in the new generation "
                + next.generation()
                + ". It was not published.");
      }
    }
  }
}
