package dev.tessera.cli;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.Encoders;
import dev.tessera.api.spi.VectorStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tessera index DIR --collection C}: embeds a folder's images and texts into a collection.
 */
@Command(
    name = "index",
    description =
        "Index a folder of images, .txt files and caption manifests (.csv/.jsonl) into a"
            + " collection.")
final class IndexCommand implements java.util.concurrent.Callable<Integer> {
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

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "Store for a new collection: ${COMPLETION-CANDIDATES} (default: lucene).",
      completionCandidates = StoreNames.class)
  String store;

  @Option(
      names = "--batch",
      defaultValue = "32",
      description = "Files embedded and committed together (default: ${DEFAULT-VALUE}).")
  int batch;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          "Folder " + folder.toAbsolutePath() + " does not exist or is not a directory.");
    }
    if (batch < 1)
      throw new IllegalArgumentException("--batch must be at least 1, got " + batch + ".");
    boolean exists = VectorCollection.exists(collection);
    Path modelDir = Models.resolve(model, exists ? collection : null, root.err);
    try (MultiModalEncoder encoder = Encoders.open(modelDir)) {
      String storeName = store != null ? store : VectorStores.defaultName();
      try (VectorCollection c =
          exists
              ? VectorCollection.open(collection, encoder.fingerprint())
              : VectorCollection.create(
                  collection, VectorStores.provider(storeName), encoder.fingerprint(), Map.of())) {
        if (exists && store != null && !store.equals(c.manifest().store())) {
          root.err.println(
              "tessera: the collection already uses the '"
                  + c.manifest().store()
                  + "' store; --store "
                  + store
                  + " is ignored.");
        }
        Models.remember(collection, c.generation(), modelDir);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
            new Thread(
                () -> {
                  stop.set(true);
                  try {
                    finished.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                  }
                },
                "tessera-index-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        FolderIndexer.Report r;
        try {
          r = new FolderIndexer(encoder, c, batch, stop).run(folder, root.err);
        } finally {
          finished.countDown();
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // the hook is running: it now sees the latch and lets the JVM exit
          }
        }
        root.out.printf(
            "Indexed %d new or changed records (%d images, %d texts), %d unchanged, %d removed; %d"
                + " in %s.%n",
            r.embedded(), r.images(), r.texts(), r.unchanged(), r.removed(), c.count(), collection);
        if (r.interrupted())
          root.out.println(
              "Interrupted: every committed batch is kept; run the same command again to finish.");
        if (!r.bad().isEmpty()) {
          root.out.println(r.bad().size() + " file(s) could not be indexed:");
          r.bad().forEach((f, why) -> root.out.println("  " + f + ": " + why));
        }
        return r.interrupted() ? 130 : 0;
      }
    }
  }
}
