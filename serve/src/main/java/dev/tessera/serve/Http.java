package dev.tessera.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for exchanges: query parameters, bounded bodies, JSON and byte answers. */
final class Http {
  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  /** The most bytes of a refused body read (and dropped) so the client sees the answer. */
  private static final long DRAIN_LIMIT = 256L << 20;

  private Http() {}

  /** The decoded query parameters (the last value wins). */
  static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) return out;
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(decode(k), decode(v));
    }
    return out;
  }

  /** The path after {@code prefix}, percent-decoded ({@code %2F} stays part of the value). */
  static String tail(HttpExchange ex, String prefix) {
    String raw = ex.getRequestURI().getRawPath();
    if (!raw.startsWith(prefix) || raw.length() == prefix.length()) {
      throw HttpError.notFound("Not found: " + raw);
    }
    return decode(raw.substring(prefix.length()));
  }

  static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("Malformed percent-encoding in '" + s + "'.");
    }
  }

  /** The request body, refused with 413 once it exceeds {@code limit} bytes. */
  static byte[] body(HttpExchange ex, long limit) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long n;
      try {
        n = Long.parseLong(declared.strip());
      } catch (NumberFormatException e) {
        throw HttpError.badRequest("Content-Length '" + declared + "' is not a number.");
      }
      if (n > limit) {
        // read what is on its way (up to a bound), so the client is not cut off mid-send and sees
        // the answer instead of a reset connection
        if (n <= DRAIN_LIMIT) {
          try (InputStream in = ex.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
          }
        }
        throw tooLarge(n, limit);
      }
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[64 * 1024];
    try (InputStream in = ex.getRequestBody()) {
      for (int r; (r = in.read(chunk)) > 0; ) {
        if (buf.size() + (long) r > limit) throw tooLarge(buf.size() + (long) r, limit);
        buf.write(chunk, 0, r);
      }
    }
    return buf.toByteArray();
  }

  private static HttpError tooLarge(long n, long limit) {
    return new HttpError(
        413,
        "The image is "
            + n
            + " bytes; this server accepts at most "
            + limit
            + " bytes (tessera serve --max-upload-mb). Send a smaller image.");
  }

  static void json(HttpExchange ex, int status, Object document) throws IOException {
    bytes(
        ex,
        status,
        "application/json; charset=utf-8",
        GSON.toJson(document).getBytes(StandardCharsets.UTF_8));
  }

  static void error(HttpExchange ex, int status, String message) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("status", status);
    doc.put("error", message);
    json(ex, status, doc);
  }

  static void bytes(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (!ex.getResponseHeaders().containsKey("Cache-Control")) {
      ex.getResponseHeaders().set("Cache-Control", "no-store");
    }
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    }
    ex.close();
  }
}
