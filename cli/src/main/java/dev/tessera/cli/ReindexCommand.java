package dev.tessera.cli;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.collection.Reindexer;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.VectorStores;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tessera reindex}: re-embed a collection with another model and switch to it atomically.
 */
@Command(
    name = "reindex",
    description = {
      "Re-embed every record from its source with a new model into a new generation, verify it, and"
          + " switch atomically.",
      "Searches keep working on the old generation meanwhile. A killed run resumes when started"
          + " again."
    })
final class ReindexCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand TesseraCommand root;

  @Option(
      names = "--collection",
      required = true,
      paramLabel = "C",
      description = "Collection directory.")
  Path collection;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "NEW",
      description = "Directory of the new model.")
  Path model;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "Store of the new generation (default: the current one).",
      completionCandidates = StoreNames.class)
  String store;

  @Option(
      names = "--batch",
      defaultValue = "32",
      description = "Records embedded and committed together (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--allow-incomplete",
      description = "Switch even if some records could not be re-embedded (they are then dropped).")
  boolean allowIncomplete;

  @Override
  public Integer call() {
    if (!VectorCollection.exists(collection)) {
      throw new IllegalArgumentException("No collection at " + collection.toAbsolutePath() + ".");
    }
    try (MultiModalEncoder encoder = Models.open(model, null, root.err)) {
      Reindexer r =
          Reindexer.of(collection, encoder).batchSize(batch).allowIncomplete(allowIncomplete);
      if (store != null) r.store(VectorStores.provider(store));
      AtomicReference<Progress> bar = new AtomicReference<>();
      r.listener(
          new Reindexer.Listener() {
            @Override
            public void started(long total, long alreadyDone) {
              if (alreadyDone > 0)
                root.out.println(
                    "Resuming: "
                        + alreadyDone
                        + " of "
                        + total
                        + " records were re-embedded by an earlier run.");
              Progress p = Progress.start("Re-embedding", total, "records");
              p.stepTo(alreadyDone);
              bar.set(p);
            }

            @Override
            public void progress(long done, long total) {
              bar.get().stepTo(done);
            }
          });
      Reindexer.Report report;
      try {
        report = r.run();
      } finally {
        if (bar.get() != null) bar.get().close();
      }
      Models.remember(collection, report.toGeneration(), model);
      root.out.printf(
          "Re-embedded %d records (%d resumed) of %d from %s into %s with %s.%n",
          report.reembedded(),
          report.resumed(),
          report.total(),
          report.fromGeneration(),
          report.toGeneration(),
          encoder.fingerprint());
      if (!report.withoutSource().isEmpty()) {
        root.out.println(
            report.withoutSource().size() + " record(s) have no source to re-embed from:");
        report.withoutSource().forEach(id -> root.out.println("  " + id));
      }
      if (!report.failed().isEmpty()) {
        root.out.println(report.failed().size() + " record(s) could not be re-embedded:");
        report.failed().forEach((id, why) -> root.out.println("  " + id + ": " + why));
      }
      if (report.published()) {
        root.out.println(
            "Switched "
                + collection
                + " to "
                + report.toGeneration()
                + ". The old generation "
                + report.fromGeneration()
                + " is kept until you remove it.");
        return 0;
      }
      root.out.println(
          "Not switched: "
              + report.toGeneration()
              + " is kept unpublished. Fix the sources and run again, "
              + "or pass --allow-incomplete to switch without those records.");
      return 3;
    }
  }
}
