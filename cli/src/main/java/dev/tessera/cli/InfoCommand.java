package dev.tessera.cli;

import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.collection.GenerationManifest;
import dev.tessera.api.collection.Generations;
import dev.tessera.api.collection.VectorCollection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tessera info}: what a collection holds and which model made it. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    version = TesseraCommand.VERSION,
    description = "Show a collection's store, counts, model, fingerprint, size and generations.")
final class InfoCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand TesseraCommand root;

  @Option(
      names = "--collection",
      required = true,
      paramLabel = "C",
      description = "Collection directory.")
  Path collection;

  @Option(
      names = "--json",
      description = "Print the information as JSON (schema in cli/README.md).")
  boolean json;

  @Override
  public Integer call() throws IOException {
    CollectionArg.requireExisting(collection);
    try (VectorCollection c = VectorCollection.openReadOnly(collection, null)) {
      GenerationManifest m = c.manifest();
      Map<Modality, Long> counts = c.countByModality();
      Path model = Models.remembered(c);
      long size = sizeOf(c.directory());
      List<Generations.Info> generations = Generations.list(collection);
      if (json) {
        Json.print(root.out, document(c, m, counts, model, size, generations));
        return 0;
      }
      var out = root.out;
      out.println("collection:  " + c.directory());
      out.println("generation:  " + c.generation() + " (created " + m.created() + ")");
      out.println("store:       " + m.store() + (m.settings().isEmpty() ? "" : " " + m.settings()));
      out.println(
          "records:     "
              + c.count()
              + " ("
              + counts.get(Modality.IMAGE)
              + " images, "
              + counts.get(Modality.TEXT)
              + " texts)");
      out.println(
          "model:       " + m.fingerprint().name() + (model == null ? "" : " (" + model + ")"));
      out.println("fingerprint: " + m.fingerprint().canonical());
      out.println("size:        " + human(size));
      for (Generations.Info g : generations) {
        out.println(
            "  "
                + g.name()
                + (g.current() ? "  live" : "  not live")
                + (g.manifest() == null
                    ? "  unreadable: " + g.problem()
                    : "  " + g.manifest().fingerprint()));
      }
      return 0;
    }
  }

  private static Map<String, Object> document(
      VectorCollection c,
      GenerationManifest m,
      Map<Modality, Long> counts,
      Path model,
      long size,
      List<Generations.Info> generations) {
    ModelFingerprint fp = m.fingerprint();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("collection", c.directory().toAbsolutePath().toString());
    d.put("generation", c.generation());
    d.put("created", m.created().toString());
    d.put("store", m.store());
    d.put("settings", m.settings());
    d.put("records", c.count());
    d.put("images", counts.get(Modality.IMAGE));
    d.put("texts", counts.get(Modality.TEXT));
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", fp.name());
    f.put("dimension", fp.dimension());
    f.put("similarity", fp.similarity().id());
    f.put("normalized", fp.normalized());
    f.put("canonical", fp.canonical());
    d.put("model", model == null ? null : model.toString());
    d.put("fingerprint", f);
    d.put("sizeBytes", size);
    List<Map<String, Object>> gs = new ArrayList<>();
    for (Generations.Info g : generations) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", g.name());
      e.put("live", g.current());
      e.put("fingerprint", g.manifest() == null ? null : g.manifest().fingerprint().canonical());
      e.put("problem", g.manifest() == null ? g.problem() : null);
      gs.add(e);
    }
    d.put("generations", gs);
    return d;
  }

  static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  static String human(long bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1 << 20) return String.format("%.1f KiB", bytes / 1024.0);
    if (bytes < 1 << 30) return String.format("%.1f MiB", bytes / 1048576.0);
    return String.format("%.2f GiB", bytes / 1073741824.0);
  }
}
