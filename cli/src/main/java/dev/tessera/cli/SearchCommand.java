package dev.tessera.cli;

import com.google.gson.GsonBuilder;
import dev.tessera.api.Embedding;
import dev.tessera.api.Hit;
import dev.tessera.api.Modality;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Query;
import dev.tessera.api.Source;
import dev.tessera.api.collection.VectorCollection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tessera search}: the nearest records to a text or an image. */
@Command(name = "search", description = "Search a collection by text or by image.")
final class SearchCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand TesseraCommand root;

  @Option(
      names = "--collection",
      required = true,
      paramLabel = "C",
      description = "Collection directory.")
  Path collection;

  static final class What {
    @Option(names = "--text", paramLabel = "TEXT", description = "Find records matching this text.")
    String text;

    @Option(
        names = "--image",
        paramLabel = "FILE",
        description = "Find records matching this image.")
    Path image;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  @Option(
      names = {"-k"},
      defaultValue = "10",
      description = "How many hits (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--only",
      paramLabel = "images|texts",
      description = "Return only images or only texts.")
  String only;

  @Option(names = "--json", description = "Print the hits as JSON for scripts.")
  boolean json;

  @Option(
      names = "--model",
      paramLabel = "M",
      description = "Model directory (default: the one that built the collection).")
  Path model;

  @Override
  public Integer call() {
    if (!VectorCollection.exists(collection)) {
      throw new IllegalArgumentException(
          "No collection at "
              + collection.toAbsolutePath()
              + ": create one with 'tessera index DIR --collection "
              + collection
              + "'.");
    }
    Modality filter = only == null ? null : Modality.parse(only);
    try (MultiModalEncoder encoder = Models.open(model, collection, root.err);
        VectorCollection c = VectorCollection.openReadOnly(collection, encoder.fingerprint())) {
      Embedding q =
          what.text != null ? encoder.embedText(what.text) : encoder.embedImage(what.image);
      Query query = Query.of(q).k(k);
      if (filter != null) query = query.only(filter);
      List<Hit> hits = c.search(query);
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(
            "query",
            what.text != null
                ? Map.of("text", what.text)
                : Map.of("image", what.image.toAbsolutePath().toString()));
        List<Map<String, Object>> hs = new ArrayList<>();
        for (Hit h : hits) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", h.id());
          m.put("score", h.score());
          m.put("modality", h.modality().id());
          if (h.source() instanceof Source.Text t) m.put("text", t.text());
          if (h.metadata().containsKey("path")) m.put("path", h.metadata().get("path"));
          m.put("metadata", h.metadata());
          hs.add(m);
        }
        doc.put("hits", hs);
        root.out.println(
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc));
      } else {
        if (hits.isEmpty()) root.out.println("No hits.");
        int rank = 1;
        for (Hit h : hits) {
          root.out.printf(
              "%2d  %.4f  %-5s  %s%n", rank++, h.score(), h.modality().id(), describe(h));
        }
      }
      return 0;
    }
  }

  static String describe(Hit h) {
    if (h.source() instanceof Source.Text t) {
      String s = t.text().replaceAll("\\s+", " ");
      return "\""
          + (s.length() > 70 ? s.substring(0, 67) + "..." : s)
          + "\""
          + (h.id().startsWith("caption:")
              ? "  (caption of " + h.metadata().get("path") + ")"
              : "");
    }
    if (h.source() instanceof Source.Image i) return i.location();
    return h.id();
  }
}
