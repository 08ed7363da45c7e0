package dev.tessera.cli;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.collection.GenerationManifest;
import dev.tessera.api.collection.Generations;
import dev.tessera.api.collection.Reindexer;
import dev.tessera.api.spi.VectorStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tessera reindex}: re-embed a collection with another model and switch to it atomically.
 */
@Command(
    name = "reindex",
    mixinStandardHelpOptions = true,
    version = TesseraCommand.VERSION,
    description = {
      "Re-embed every record from its source with a new model into a new generation, verify it, and"
          + " switch atomically.",
      "Searches keep working on the old generation meanwhile. A killed run resumes when started"
          + " again."
    },
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {
      "0:re-embedded and switched",
      "3:not switched: some records could not be re-embedded (listed; --allow-incomplete)",
      "1:error",
      "2:usage error"
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

  @Mixin EncoderOption encoder;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description =
          "Store of the new generation: ${COMPLETION-CANDIDATES} (default: the current one).",
      converter = StoreNames.class,
      completionCandidates = StoreNames.class)
  String store;

  @Mixin CassandraOptions cassandra;

  @Option(
      names = "--batch",
      defaultValue = "32",
      description = "Records embedded and committed together (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--allow-incomplete",
      description = "Switch even if some records could not be re-embedded (they are then dropped).")
  boolean allowIncomplete;

  @Option(
      names = "--json",
      description = "Print the report as JSON (schema in cli/README.md); errors stay on stderr.")
  boolean json;

  /** Exit status when the new generation was built but not switched to. */
  static final int NOT_SWITCHED = 3;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ReindexCommand.class);

  @Override
  public Integer call() {
    CollectionArg.requireExisting(collection);
    Path modelDir = Models.resolve(model, null, root.err);
    try (MultiModalEncoder enc = Models.open(modelDir, encoder.name)) {
      Reindexer r =
          Reindexer.of(collection, enc)
              .batchSize(batch)
              .allowIncomplete(allowIncomplete)
              .hints(Models.hints(modelDir));
      if (store != null) r.store(VectorStores.provider(store));
      Map<String, String> settings = settings();
      if (settings != null) r.settings(settings);
      AtomicReference<Progress> bar = new AtomicReference<>();
      r.listener(
          new Reindexer.Listener() {
            @Override
            public void started(long total, long alreadyDone) {
              if (alreadyDone > 0 && !json)
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
              LOG.info("re-embedded {} of {} records", done, total);
            }
          });
      Reindexer.Report report;
      try {
        report = r.run();
      } finally {
        if (bar.get() != null) bar.get().close();
      }
      int status = report.published() ? 0 : NOT_SWITCHED;
      if (json) Json.print(root.out, document(report, enc, status));
      else print(report, enc);
      return status;
    }
  }

  /**
   * The new generation's store settings when the command line changes them, else null (the
   * Reindexer's default: the live generation's settings for the same store, none for another).
   */
  private Map<String, String> settings() {
    GenerationManifest live =
        Generations.list(collection).stream()
            .filter(Generations.Info::current)
            .map(Generations.Info::manifest)
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .orElse(null);
    if (live == null) {
      cassandra.check(store != null ? store : CassandraOptions.STORE); // only --datacenter alone
      return null; // the Reindexer names what is wrong with the live generation
    }
    String target = store != null ? store : live.store();
    boolean sameStore = target.equals(live.store());
    Map<String, String> s = cassandra.settings(target, sameStore ? live.settings() : Map.of());
    if (!sameStore) CassandraOptions.requireCluster(target, s, "reindex");
    return cassandra.given() ? s : null;
  }

  private void print(Reindexer.Report report, MultiModalEncoder enc) {
    var out = root.out;
    out.printf(
        "Re-embedded %d records (%d resumed) of %d from %s into %s with %s.%n",
        report.reembedded(),
        report.resumed(),
        report.total(),
        report.fromGeneration(),
        report.toGeneration(),
        enc.fingerprint());
    if (!report.withoutSource().isEmpty()) {
      out.println(report.withoutSource().size() + " record(s) have no source to re-embed from:");
      report.withoutSource().forEach(id -> out.println("  " + id));
    }
    if (!report.failed().isEmpty()) {
      out.println(report.failed().size() + " record(s) could not be re-embedded:");
      report.failed().forEach((id, why) -> out.println("  " + id + ": " + why));
    }
    if (report.published()) {
      out.println(
          "Switched "
              + collection
              + " to "
              + report.toGeneration()
              + ". The old generation "
              + report.fromGeneration()
              + " is kept until you remove it.");
    } else {
      out.println(
          "Not switched: "
              + report.toGeneration()
              + " is kept unpublished. Fix the sources and run again, "
              + "or pass --allow-incomplete to switch without those records.");
    }
  }

  private Map<String, Object> document(Reindexer.Report report, MultiModalEncoder enc, int status) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("collection", collection.toAbsolutePath().toString());
    d.put("from", report.fromGeneration());
    d.put("to", report.toGeneration());
    d.put("model", enc.fingerprint().name());
    d.put("fingerprint", enc.fingerprint().canonical());
    d.put("total", report.total());
    d.put("reembedded", report.reembedded());
    d.put("resumed", report.resumed());
    d.put("withoutSource", report.withoutSource());
    List<Map<String, String>> failed = new ArrayList<>();
    report.failed().forEach((id, why) -> failed.add(Map.of("id", id, "reason", why)));
    d.put("failed", failed);
    d.put("switched", report.published());
    d.put("exitCode", status);
    return d;
  }
}
