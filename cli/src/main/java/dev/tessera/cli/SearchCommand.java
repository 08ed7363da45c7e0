package dev.tessera.cli;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
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
import java.util.Locale;
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
      names = "--where",
      paramLabel = "EXPR",
      description =
          "Only records whose metadata match, e.g. 'year >= 2024 and album in (\"a\", \"b\")'"
              + " (syntax in cli/README.md).")
  String where;

  @Option(
      names = "--ranking",
      paramLabel = "calibrated|similarity",
      converter = RankingOption.class,
      description =
          "How images and texts rank together when both are searched: calibrated (default) puts"
              + " both on one scale; similarity is the raw score order, where texts usually win.")
  Hit.Ranking ranking;

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
      Modality m = VALUES.get(value.strip().toLowerCase(Locale.ROOT));
      if (m != null) return m;
      throw new TypeConversionException(
          "'"
              + value
              + "' is neither images nor texts."
              + Suggestions.didYouMean(value, List.of("images", "texts")));
    }
  }

  /** {@code --ranking calibrated|similarity}, with the nearest value on a typo. */
  static final class RankingOption implements ITypeConverter<Hit.Ranking> {
    @Override
    public Hit.Ranking convert(String value) {
      String v = value.strip().toLowerCase(Locale.ROOT);
      for (Hit.Ranking r : Hit.Ranking.values()) {
        if (r.name().toLowerCase(Locale.ROOT).equals(v)) return r;
      }
      throw new TypeConversionException(
          "'"
              + value
              + "' is neither calibrated nor similarity."
              + Suggestions.didYouMean(value, List.of("calibrated", "similarity")));
    }
  }

  @Override
  public Integer call() {
    CollectionArg.requireExisting(collection);
    // The collection first: its manifest (read once) names the model, then the encoder is checked.
    try (VectorCollection c = VectorCollection.openReadOnly(collection, null);
        MultiModalEncoder enc = Models.open(Models.resolve(model, c, root.err), encoder.name)) {
      c.requireFingerprint(enc.fingerprint());
      Embedding q = what.text != null ? enc.embedText(what.text) : enc.embedImage(what.image);
      Query query = Query.of(q).k(k);
      if (only != null) query = query.only(only);
      if (where != null) query = query.where(Filter.parse(where));
      if (ranking != null) query = query.ranking(ranking);
      List<Hit> hits = c.search(query);
      Hit.Ranking used = hits.isEmpty() ? query.ranking() : hits.get(0).ranking();
      if (json) {
        Json.print(root.out, document(c, hits, used));
      } else {
        if (root.verbose) root.err.println(explain(used));
        if (hits.isEmpty()) root.out.println("No hits.");
        int rank = 1;
        for (Hit h : hits) {
          root.out.printf(
              "%2d  %.4f  %-5s  %s%s%n",
              rank++,
              h.score(),
              h.modality().id(),
              describe(h),
              root.verbose && h.ranking() == Hit.Ranking.CALIBRATED
                  ? String.format(Locale.ROOT, "  [rank score %.2f]", h.rankScore())
                  : "");
        }
      }
      return 0;
    }
  }

  /** The {@code --verbose} line that says what the list is ordered by. */
  static String explain(Hit.Ranking used) {
    return used == Hit.Ranking.CALIBRATED
        ? "Ranking: calibrated. Images and texts are ranked together by how far each hit's score"
            + " stands above the query's usual score for its modality (rank score, in standard"
            + " deviations); the score column is the raw similarity. --ranking similarity orders"
            + " by raw score."
        : "Ranking: similarity (the raw score order).";
  }

  private Map<String, Object> document(VectorCollection c, List<Hit> hits, Hit.Ranking used) {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("text", what.text);
    q.put("image", what.image == null ? null : what.image.toAbsolutePath().toString());
    q.put("k", k);
    q.put("only", only == null ? null : only.id());
    q.put("where", where == null ? null : Filter.parse(where).text());
    doc.put("query", q);
    doc.put("collection", c.directory().toAbsolutePath().toString());
    doc.put("model", c.fingerprint().name());
    doc.put("ranking", used.name().toLowerCase(Locale.ROOT));
    List<Map<String, Object>> hs = new ArrayList<>();
    int rank = 1;
    for (Hit h : hits) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rank", rank++);
      m.put("id", h.id());
      m.put("score", h.score());
      m.put("rankScore", h.rankScore());
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
