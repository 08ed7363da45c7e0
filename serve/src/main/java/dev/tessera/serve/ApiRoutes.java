package dev.tessera.serve;

import com.sun.net.httpserver.HttpExchange;
import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.FingerprintMismatchException;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Query;
import dev.tessera.api.Source;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.encoders.onnx.ImageDecoder;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON API: {@code GET/POST /api/search}, {@code GET /api/info}, {@code GET /api/items/{id}}.
 * Documents follow {@code tessera search --json} and {@code tessera info --json}.
 */
final class ApiRoutes {
  /** How many hits a search returns when the request does not say. */
  static final int DEFAULT_K = 24;

  private final LiveCollection live;
  private final MultiModalEncoder encoder;
  private final ServeConfig config;
  private final ImageDecoder guard;

  ApiRoutes(LiveCollection live, MultiModalEncoder encoder, ServeConfig config) {
    this.live = live;
    this.encoder = encoder;
    this.config = config;
    this.guard = new ImageDecoder(config.maxPixels());
  }

  void search(HttpExchange ex) throws IOException {
    Map<String, String> p = Http.query(ex);
    VectorCollection c = live.get();
    Map<String, Object> q = new LinkedHashMap<>();
    Embedding e;
    if (ex.getRequestMethod().equals("POST")) {
      e = embedUpload(Http.body(ex, config.maxUploadBytes()));
      q.put("text", null);
      q.put("image", "upload");
      q.put("like", null);
    } else if (!ex.getRequestMethod().equals("GET")) {
      throw new HttpError(405, "Use GET (text or like) or POST (an image body) on /api/search.");
    } else if (p.containsKey("like")) {
      String id = p.get("like");
      Item item =
          c.get(id)
              .orElseThrow(() -> HttpError.notFound("No item '" + id + "' in this collection."));
      e = item.embedding();
      q.put("text", null);
      q.put("image", null);
      q.put("like", id);
    } else {
      String text = p.get("text");
      if (text == null || text.isBlank()) {
        throw HttpError.badRequest(
            "Say what to search for: text=..., like=ID, or POST an image to /api/search.");
      }
      e = encoder.embedText(text);
      q.put("text", text);
      q.put("image", null);
      q.put("like", null);
    }
    int k = k(p.get("k"));
    Query query = Query.of(e).k(k);
    Modality only = only(p.get("only"));
    if (only != null) query = query.only(only);
    String where = blankToNull(p.get("where"));
    Filter filter = where == null ? null : Filter.parse(where);
    if (filter != null) query = query.where(filter);
    Hit.Ranking ranking = ranking(p.get("ranking"));
    if (ranking != null) query = query.ranking(ranking);
    List<Hit> hits = c.search(query); // the collection refuses a query from another model
    q.put("k", k);
    q.put("only", only == null ? null : only.id());
    q.put("where", filter == null ? null : filter.text());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("query", q);
    doc.put("collection", c.directory().toString());
    doc.put("model", c.fingerprint().name());
    doc.put(
        "ranking",
        (hits.isEmpty() ? query.ranking() : hits.get(0).ranking()).name().toLowerCase(Locale.ROOT));
    List<Map<String, Object>> hs = new ArrayList<>();
    int rank = 1;
    for (Hit h : hits) {
      Map<String, Object> m = describe(h.id(), h.modality(), h.source(), h.metadata().asMap());
      m.put("rank", rank++);
      m.put("score", h.score());
      m.put("rankScore", h.rankScore());
      hs.add(m);
    }
    doc.put("hits", hs);
    Http.json(ex, 200, doc);
  }

  private Embedding embedUpload(byte[] body) throws IOException {
    if (body.length == 0) {
      throw HttpError.badRequest("The request body is empty: POST the image's bytes.");
    }
    guard.decode(body, "the uploaded image"); // bad image or pixel bomb: refused with its message
    Path tmp = Files.createTempFile("tessera-serve-query", ".img");
    try {
      Files.write(tmp, body);
      return encoder.embedImage(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  void info(HttpExchange ex) throws IOException {
    VectorCollection c = live.get();
    Map<Modality, Long> counts = c.countByModality();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", c.directory().getFileName().toString());
    d.put("collection", c.directory().toString());
    d.put("generation", c.generation());
    d.put("store", c.manifest().store());
    d.put("records", c.count());
    d.put("images", counts.getOrDefault(Modality.IMAGE, 0L));
    d.put("texts", counts.getOrDefault(Modality.TEXT, 0L));
    d.put("model", c.fingerprint().name());
    d.put("encoder", encoder.fingerprint().name());
    d.put("problem", modelProblem(c, encoder));
    d.put("maxUploadBytes", config.maxUploadBytes());
    Http.json(ex, 200, d);
  }

  void item(HttpExchange ex) throws IOException {
    String id = Http.tail(ex, "/api/items/");
    Item item =
        live.get()
            .get(id)
            .orElseThrow(() -> HttpError.notFound("No item '" + id + "' in this collection."));
    Http.json(
        ex, 200, describe(item.id(), item.modality(), item.source(), item.metadata().asMap()));
  }

  private static Map<String, Object> describe(
      String id, Modality modality, Source source, Map<String, Object> metadata) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("modality", modality.id());
    m.put("text", source instanceof Source.Text t ? t.text() : null);
    m.put("path", metadata.get("path"));
    boolean image = modality == Modality.IMAGE && source instanceof Source.Image;
    String enc = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    m.put("file", image ? "/files/" + enc : null);
    m.put("thumbnail", image ? "/thumbnails/" + enc : null);
    m.put("metadata", metadata);
    return m;
  }

  private static int k(String v) {
    if (v == null || v.isBlank()) return DEFAULT_K;
    try {
      int k = Integer.parseInt(v.strip());
      if (k >= 1 && k <= 1000) return k;
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw HttpError.badRequest("k must be a whole number from 1 to 1000, got '" + v + "'.");
  }

  private static Modality only(String v) {
    v = blankToNull(v);
    if (v == null || v.equals("both")) return null;
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "images", "image" -> Modality.IMAGE;
      case "texts", "text", "captions" -> Modality.TEXT;
      default -> throw HttpError.badRequest("only must be images, texts or both, got '" + v + "'.");
    };
  }

  private static Hit.Ranking ranking(String v) {
    v = blankToNull(v);
    if (v == null) return null;
    for (Hit.Ranking r : Hit.Ranking.values()) {
      if (r.name().equalsIgnoreCase(v)) return r;
    }
    throw HttpError.badRequest("ranking must be calibrated or similarity, got '" + v + "'.");
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** Why {@code encoder} can not search {@code c} (another model), or null when it can. */
  static String modelProblem(VectorCollection c, MultiModalEncoder encoder) {
    return encoder.fingerprint().equals(c.fingerprint())
        ? null
        : FingerprintMismatchException.message("search", c.fingerprint(), encoder.fingerprint());
  }
}
