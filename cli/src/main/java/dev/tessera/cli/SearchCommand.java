package dev.tessera.cli;

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
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** {@code tessera search}: the nearest records to a text or an image. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    version = TesseraCommand.VERSION,
    description = "Search a collection by text or by image.")
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
      converter = OnlyModality.class,
      description = "Return only images or only texts.")
  Modality only;

  @Option(
      names = "--json",
      description = "Print the query and the hits as JSON (schema in cli/README.md).")
  boolean json;

  @Option(
      names = "--model",
      paramLabel = "M",
      description = "Model directory (default: the one that built the collection).")
  Path model;

  @Mixin EncoderOption encoder;

  /** {@code --only images|texts} (or image, text), with the nearest value on a typo. */
  static final class OnlyModality implements ITypeConverter<Modality> {
    private static final Map<String, Modality> VALUES =
        Map.of(
            "images", Modality.IMAGE,
            "image", Modality.IMAGE,
            "texts", Modality.TEXT,
            "text", Modality.TEXT);

    @Override
    public Modality convert(String value) {
      Modality m = VALUES.get(value.strip().toLowerCase(java.util.Locale.ROOT));
      if (m != null) return m;
      throw new TypeConversionException(
          "'"
              + value
              + "' is neither images nor texts."
              + Suggestions.didYouMean(value, List.of("images", "texts")));
    }
  }

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
    // The collection first: its manifest (read once) names the model, then the encoder is checked.
    try (VectorCollection c = VectorCollection.openReadOnly(collection, null);
        MultiModalEncoder enc = Models.open(Models.resolve(model, c, root.err), encoder.name)) {
      c.requireFingerprint(enc.fingerprint());
      Embedding q = what.text != null ? enc.embedText(what.text) : enc.embedImage(what.image);
      Query query = Query.of(q).k(k);
      if (only != null) query = query.only(only);
      List<Hit> hits = c.search(query);
      if (json) {
        Json.print(root.out, document(c, hits));
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

  private Map<String, Object> document(VectorCollection c, List<Hit> hits) {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("text", what.text);
    q.put("image", what.image == null ? null : what.image.toAbsolutePath().toString());
    q.put("k", k);
    q.put("only", only == null ? null : only.id());
    doc.put("query", q);
    doc.put("collection", c.directory().toAbsolutePath().toString());
    doc.put("model", c.fingerprint().name());
    List<Map<String, Object>> hs = new ArrayList<>();
    int rank = 1;
    for (Hit h : hits) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rank", rank++);
      m.put("id", h.id());
      m.put("score", h.score());
      m.put("modality", h.modality().id());
      m.put("text", h.source() instanceof Source.Text t ? t.text() : null);
      m.put("path", h.metadata().get("path"));
      m.put("metadata", h.metadata());
      hs.add(m);
    }
    doc.put("hits", hs);
    return doc;
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
