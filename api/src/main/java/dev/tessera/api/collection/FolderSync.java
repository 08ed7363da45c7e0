package dev.tessera.api.collection;

import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Keeps a collection in step with a folder: images (by name, or by their first bytes when named
 * like nothing else), {@code .txt} files (one record each) and captions from manifests read by a
 * {@link CaptionSource}. The sibling of {@link Reindexer}, which re-embeds a collection for another
 * model.
 *
 * <p>Ids are stable and path-based ({@code image:rel/path.jpg}, {@code text:notes/a.txt}, {@code
 * caption:rel/path.jpg#1}). Each record keeps a stamp in its metadata: {@code size:mtime} of its
 * file, or a hash and length of its caption. A run finds what changed by comparing stamps, read
 * with {@link VectorCollection#forEachRecord} (metadata only: a sync loads no vector); it embeds
 * new and changed files in batches, commits every batch, and then deletes the records of files that
 * are gone. Each image file is read once, by the encoder; its decode error becomes the file's skip
 * reason. Results are paired to files by the label the encoder gives them (the path), not by their
 * position. Links are followed only when they stay inside the folder; the collection's own
 * directory is left out.
 *
 * <p>A run stops after the batch in flight when its thread is interrupted or the {@link
 * #stopWhen(BooleanSupplier)} condition holds; the report says what was kept, and running again
 * finishes. Prefer {@code stopWhen} from signal handlers: an interrupt that lands inside a store's
 * file write can make the store close that file (Java closes interruptible channels).
 */
public final class FolderSync {
  /**
   * Reads caption manifests (e.g. {@code captions.csv}); the api reads none by itself. Paths of
   * images in a manifest are relative to the manifest.
   */
  public interface CaptionSource {
    /** Whether {@code file} is a manifest this source reads (typically by its name). */
    boolean isManifest(Path file);

    /** The captions of {@code manifest}, and the lines that could not be read. */
    CaptionManifest read(Path manifest) throws IOException;
  }

  /** One caption of one image; {@code image} is relative to its manifest. */
  public record Caption(String image, String text) {
    /** Checks both are present. */
    public Caption {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(text, "text");
    }
  }

  /** A manifest line that could not be read (1-based), and why. */
  public record Problem(int line, String reason) {}

  /** What a manifest holds. */
  public record CaptionManifest(List<Caption> captions, List<Problem> problems) {
    /** Copies the lists. */
    public CaptionManifest {
      captions = List.copyOf(captions);
      problems = List.copyOf(problems);
    }
  }

  /** Progress callbacks; every method has a no-op default. */
  public interface Listener {
    /** Called once the folder is walked, with what the run will do. */
    default void started(int toEmbed, int unchanged, int gone, int skipped, int ignored) {}

    /** Called after each committed batch: {@code files} of it done, {@code records} written. */
    default void committed(int batch, int batches, int files, int records) {}

    /** Called after the records of {@code count} files that are gone were deleted. */
    default void removed(int count) {}
  }

  /**
   * What a run did. {@code skipped}: files (or manifest lines, as {@code file:line}) that look like
   * something to index but were not, with the reason, sorted by file; {@code ignored}: files of
   * other kinds; {@code batches}: batches committed by this run; {@code pending}: files left for
   * the next run after an interruption (then nothing was removed).
   */
  public record Report(
      int embedded,
      int images,
      int texts,
      int unchanged,
      int removed,
      Map<String, String> skipped,
      List<String> ignored,
      int batches,
      int pending,
      boolean interrupted) {
    /** Copies the collections. */
    public Report {
      skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
      ignored = List.copyOf(ignored);
    }
  }

  private final VectorCollection collection;
  private final MultiModalEncoder encoder;
  private int batchSize = 32;
  private CaptionSource captions;
  private Listener listener = new Listener() {};
  private BooleanSupplier stop = () -> false;

  /** A sync of folders into {@code collection} with {@code encoder} (of the same model). */
  public FolderSync(VectorCollection collection, MultiModalEncoder encoder) {
    this.collection = Objects.requireNonNull(collection, "collection");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
  }

  /** Files embedded and committed together (default 32). */
  public FolderSync batchSize(int n) {
    if (n < 1) throw new IllegalArgumentException("batchSize must be at least 1, got " + n + ".");
    this.batchSize = n;
    return this;
  }

  /** Reads caption manifests with {@code source} (default: none are read). */
  public FolderSync captions(CaptionSource source) {
    this.captions = source;
    return this;
  }

  /** Receives progress. */
  public FolderSync listener(Listener l) {
    this.listener = Objects.requireNonNull(l, "listener");
    return this;
  }

  /** Stops the run after the batch in flight once {@code condition} holds (checked per batch). */
  public FolderSync stopWhen(BooleanSupplier condition) {
    this.stop = Objects.requireNonNull(condition, "condition");
    return this;
  }

  /** Syncs {@code folder} (walked recursively) into the collection. */
  public Report run(Path folder) {
    Path root;
    FolderScan.Result scan;
    try {
      if (!Files.isDirectory(folder)) {
        throw new IllegalArgumentException(
            "Folder " + folder.toAbsolutePath() + " does not exist or is not a directory.");
      }
      root = folder.toRealPath();
      Path exclude = collection.directory().toAbsolutePath().normalize();
      scan = FolderScan.walk(root, exclude, captions, new TreeMap<>());
    } catch (IOException e) {
      throw IoFailures.of("read the folder " + folder, collection.directory(), e);
    }
    Map<String, String> existing = stamps(root.toString());
    List<FolderScan.Wanted> todo = new ArrayList<>();
    int unchanged = 0;
    Set<String> keep = new HashSet<>();
    for (FolderScan.Wanted w : scan.wanted()) {
      keep.add(w.id());
      if (w.stamp().equals(existing.get(w.id()))) unchanged++;
      else todo.add(w);
    }
    List<String> gone =
        existing.keySet().stream().filter(id -> !keep.contains(id)).sorted().toList();
    Map<String, String> skipped = scan.skipped();
    listener.started(todo.size(), unchanged, gone.size(), skipped.size(), scan.ignored().size());

    int embedded = 0, images = 0, texts = 0, batches = 0, done = 0;
    int total = (todo.size() + batchSize - 1) / batchSize;
    boolean interrupted = false;
    for (int from = 0; from < todo.size(); from += batchSize) {
      if (stopRequested()) {
        interrupted = true;
        break;
      }
      List<FolderScan.Wanted> batch = todo.subList(from, Math.min(todo.size(), from + batchSize));
      List<Item> items = embed(batch, skipped);
      collection.upsert(items);
      collection.commit();
      batches++;
      done += batch.size();
      for (Item i : items) {
        if (i.modality() == Modality.IMAGE) images++;
        else texts++;
      }
      embedded += items.size();
      listener.committed(batches, total, batch.size(), items.size());
    }
    if (!interrupted && stopRequested() && !gone.isEmpty()) interrupted = true;
    if (!interrupted && !gone.isEmpty()) {
      collection.delete(gone);
      collection.commit();
      listener.removed(gone.size());
    }
    return new Report(
        embedded,
        images,
        texts,
        unchanged,
        interrupted ? 0 : gone.size(),
        skipped,
        scan.ignored(),
        batches,
        todo.size() - done,
        interrupted);
  }

  private boolean stopRequested() {
    return Thread.currentThread().isInterrupted() || stop.getAsBoolean();
  }

  /** The stamp of every record this folder made, by id: a metadata-only scan. */
  private Map<String, String> stamps(String rootKey) {
    Map<String, String> existing = new HashMap<>();
    collection.forEachRecord(
        (id, modality, metadata, source) -> {
          if (rootKey.equals(metadata.get(FolderScan.ROOT))
              && metadata.get(FolderScan.STAMP) instanceof String stamp) {
            existing.put(id, stamp);
          }
        });
    return existing;
  }

  private List<Item> embed(List<FolderScan.Wanted> batch, Map<String, String> skipped) {
    List<Item> out = new ArrayList<>();
    Map<String, FolderScan.Wanted> images = new LinkedHashMap<>();
    List<FolderScan.Wanted> texts = new ArrayList<>();
    for (FolderScan.Wanted w : batch) {
      if (w.modality() == Modality.IMAGE) images.put(w.file().toString(), w);
      else texts.add(w);
    }
    if (!images.isEmpty()) {
      List<Path> files = images.values().stream().map(FolderScan.Wanted::file).toList();
      Map<String, FolderScan.Wanted> waiting = new HashMap<>(images);
      for (EmbeddingResult r : encoder.embedImages(files)) {
        FolderScan.Wanted w = waiting.remove(r.label());
        if (w == null) continue; // a label that names none of the files (or one already paired)
        if (r.isSuccess()) {
          out.add(new Item(w.id(), r.embedding(), w.metadata(), Source.image(w.file().toString())));
        } else {
          skipped.put(w.file().toString(), r.error().getMessage());
        }
      }
      for (FolderScan.Wanted w : waiting.values()) {
        skipped.put(
            w.file().toString(),
            "the encoder returned no result labelled with this file; it was not indexed");
      }
    }
    if (!texts.isEmpty()) {
      List<Embedding> es = encoder.embedTexts(texts.stream().map(FolderScan.Wanted::text).toList());
      for (int k = 0; k < texts.size(); k++) {
        FolderScan.Wanted w = texts.get(k);
        out.add(new Item(w.id(), es.get(k), w.metadata(), Source.text(w.text())));
      }
    }
    return out;
  }
}
