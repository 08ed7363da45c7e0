package dev.tessera.cli;

import dev.tessera.api.Modality;
import dev.tessera.api.collection.GenerationManifest;
import dev.tessera.api.collection.Generations;
import dev.tessera.api.collection.VectorCollection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tessera info}: what a collection holds and which model made it. */
@Command(
    name = "info",
    description = "Show a collection's store, counts, model, fingerprint, size and generations.")
final class InfoCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand TesseraCommand root;

  @Option(
      names = "--collection",
      required = true,
      paramLabel = "C",
      description = "Collection directory.")
  Path collection;

  @Override
  public Integer call() throws IOException {
    if (!VectorCollection.exists(collection)) {
      throw new IllegalArgumentException("No collection at " + collection.toAbsolutePath() + ".");
    }
    try (VectorCollection c = VectorCollection.openReadOnly(collection, null)) {
      GenerationManifest m = c.manifest();
      Map<Modality, Long> counts = c.countByModality();
      Path model = Models.remembered(collection);
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
      out.println("size:        " + human(sizeOf(c.directory())));
      for (Generations.Info g : Generations.list(collection)) {
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
