package dev.tessera.cli;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.collection.FolderSync;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.VectorStores;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tessera index DIR --collection C}: embeds a folder's images and texts into a collection.
 *
 * <p>Exit status: 0 everything indexed, 3 done but some files were skipped (each is listed with the
 * reason), 130 interrupted by Ctrl-C or SIGTERM (every committed batch is kept; the same command
 * resumes), 1 error, 2 usage.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    version = TesseraCommand.VERSION,
    description =
        "Index a folder of images, .txt files and caption manifests (.csv/.jsonl) into a"
            + " collection. A second run embeds only new or changed files and removes the records"
            + " of deleted ones.",
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {
      "0:every file indexed",
      "3:done, but some files were skipped (listed with the reason)",
      "130:interrupted: committed batches are kept, run again to finish",
      "1:error",
      "2:usage error"
    })
final class IndexCommand implements java.util.concurrent.Callable<Integer> {
  /** Exit status when the run finished but skipped files. */
  static final int SKIPPED = 3;

  /** Exit status of an interrupted run (128 + SIGINT, as a shell reports it). */
  static final int INTERRUPTED = 130;

  /** How long a Ctrl-C waits for the batch in flight to commit and the summary to print. */
  private static final long INTERRUPT_GRACE_SECONDS = 60;

  @ParentCommand TesseraCommand root;

  @Parameters(
      index = "0",
      paramLabel = "DIR",
      description = "Folder to index (walked recursively).")
  Path folder;

  @Option(
      names = "--collection",
      required = true,
      paramLabel = "C",
      description = "Collection directory (created if absent).")
  Path collection;

  @Option(
      names = "--model",
      paramLabel = "M",
      description =
          "Model directory (default: the collection's model, else the built-in small CLIP).")
  Path model;

  @Mixin EncoderOption encoder;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "Store for a new collection: ${COMPLETION-CANDIDATES} (default: lucene).",
      converter = StoreNames.class,
      completionCandidates = StoreNames.class)
  String store;

  @Mixin CassandraOptions cassandra;

  @Option(
      names = "--batch",
      defaultValue = "32",
      description = "Files embedded and committed together (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--json",
      description = "Print the summary as JSON (schema in cli/README.md); errors stay on stderr.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          "Folder " + folder.toAbsolutePath() + " does not exist or is not a directory.");
    }
    if (batch < 1)
      throw new IllegalArgumentException("--batch must be at least 1, got " + batch + ".");
    // Ctrl-C (and SIGTERM) stop the run between batches: the hook asks the indexer to stop, then
    // holds the JVM until the batch in flight is committed and the summary printed.
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> holdShutdown(stop, finished), "tessera-index-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return index(stop);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it now sees the latch and lets the JVM exit
      }
    }
  }

  private static void holdShutdown(AtomicBoolean stop, CountDownLatch finished) {
    stop.set(true);
    try {
      finished.await(INTERRUPT_GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int index(AtomicBoolean stop) throws Exception {
    // An existing collection is opened first: its manifest names its store and model, read once.
    try (VectorCollection existing =
        VectorCollection.exists(collection) ? VectorCollection.open(collection) : null) {
      Path modelDir = Models.resolve(model, existing, root.err);
      String storeName =
          existing != null
              ? existing.manifest().store()
              : store != null ? store : VectorStores.defaultName();
      // A new collection's store settings; an existing one keeps its own (a cassandra locator).
      Map<String, String> settings =
          existing != null ? Map.of() : cassandra.settings(storeName, Map.of());
      if (existing == null) CassandraOptions.requireCluster(storeName, settings, "index");
      try (MultiModalEncoder enc = Models.open(modelDir, encoder.name)) {
        if (existing != null) existing.requireFingerprint(enc.fingerprint());
        try (VectorCollection c =
            existing != null
                ? existing
                : VectorCollection.create(
                    collection,
                    VectorStores.provider(storeName),
                    enc.fingerprint(),
                    settings,
                    Models.hints(modelDir))) {
          if (existing != null && store != null && !store.equals(c.manifest().store())) {
            root.err.println(
                "tessera: the collection already uses the '"
                    + c.manifest().store()
                    + "' store; --store "
                    + store
                    + " is ignored.");
          }
          if (existing != null && cassandra.given()) {
            root.err.println(
                "tessera: the collection exists and keeps the store settings it was created with;"
                    + " --contact-points "
                    + cassandra.contactPoints
                    + " is ignored.");
          }
          Models.remember(c, modelDir);
          FolderSync.Report r;
          try (SyncProgress progress = new SyncProgress(c.directory())) {
            r = sync(c, enc, batch, stop::get, progress).run(folder);
          }
          int status = r.interrupted() ? INTERRUPTED : r.skipped().isEmpty() ? 0 : SKIPPED;
          if (json) Json.print(root.out, document(r, c, status));
          else print(r, c, root.out);
          return status;
        }
      }
    }
  }

  /**
   * The folder sync the CLI runs: captions read by {@link CaptionManifests}, a progress bar, and a
   * log line per batch.
   */
  static FolderSync sync(
      VectorCollection c,
      MultiModalEncoder enc,
      int batch,
      BooleanSupplier stop,
      FolderSync.Listener listener) {
    return new FolderSync(c, enc)
        .batchSize(batch)
        .captions(CaptionManifests.SOURCE)
        .stopWhen(stop)
        .listener(listener);
  }

  /** Logs what a sync does and shows a progress bar while it embeds. */
  static final class SyncProgress implements FolderSync.Listener, AutoCloseable {
    private static final org.slf4j.Logger LOG =
        org.slf4j.LoggerFactory.getLogger(IndexCommand.class);
    private final Path collection;
    private Progress bar;

    SyncProgress(Path collection) {
      this.collection = collection;
    }

    @Override
    public void started(int toEmbed, int unchanged, int gone, int skipped, int ignored) {
      LOG.info(
          "{}: {} to embed, {} unchanged, {} gone, {} skipped, {} of other kinds ignored",
          collection,
          toEmbed,
          unchanged,
          gone,
          skipped,
          ignored);
      bar = Progress.start("Embedding", toEmbed, "files");
    }

    @Override
    public void committed(int batch, int batches, int files, int records) {
      bar.stepBy(files);
      LOG.info("committed batch {} of {} ({} records)", batch, batches, records);
    }

    @Override
    public void removed(int count) {
      LOG.info("removed the records of {} files that are gone", count);
    }

    @Override
    public void close() {
      if (bar != null) bar.close();
    }
  }

  private String resumeCommand() {
    return "tessera index " + folder + " --collection " + collection;
  }

  private void print(FolderSync.Report r, VectorCollection c, PrintStream out) {
    out.printf(
        "Indexed %d new or changed records (%d images, %d texts), %d unchanged, %d removed; %d"
            + " in %s.%n",
        r.embedded(), r.images(), r.texts(), r.unchanged(), r.removed(), c.count(), collection);
    if (!r.skipped().isEmpty()) {
      out.println("Skipped " + r.skipped().size() + " file(s):");
      r.skipped().forEach((f, why) -> out.println("  " + f + ": " + why));
    }
    if (!r.ignored().isEmpty()) {
      out.println(
          r.ignored().size()
              + " file(s) of other kinds ignored (not images, .txt or .csv/.jsonl captions)"
              + (root.verbose ? ":" : "; --verbose lists them."));
      if (root.verbose) r.ignored().forEach(f -> out.println("  " + f));
    }
    if (r.interrupted()) {
      out.println(
          "Interrupted: the "
              + r.batches()
              + " batch(es) committed by this run are kept ("
              + r.embedded()
              + " records; "
              + c.count()
              + " in the collection); "
              + r.pending()
              + " file(s) were not embedded yet.");
      out.println("To finish, run the same command again: " + resumeCommand());
    }
    out.flush();
  }

  private Map<String, Object> document(FolderSync.Report r, VectorCollection c, int status) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("collection", c.directory().toAbsolutePath().toString());
    d.put("folder", folder.toAbsolutePath().toString());
    d.put("store", c.manifest().store());
    d.put("model", c.fingerprint().name());
    d.put("embedded", r.embedded());
    d.put("images", r.images());
    d.put("texts", r.texts());
    d.put("unchanged", r.unchanged());
    d.put("removed", r.removed());
    d.put("records", c.count());
    List<Map<String, String>> skipped = new ArrayList<>();
    r.skipped().forEach((f, why) -> skipped.add(Map.of("file", f, "reason", why)));
    d.put("skipped", skipped);
    d.put("ignored", r.ignored());
    d.put("batches", r.batches());
    d.put("interrupted", r.interrupted());
    d.put("pending", r.pending());
    d.put("resume", r.interrupted() ? resumeCommand() : null);
    d.put("exitCode", status);
    return d;
  }
}
