package dev.tessera.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The page: {@code index.html}, {@code app.js} and {@code app.css}, read from the jar. */
final class StaticRoutes {
  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/app.js", "app.js",
          "/app.css", "app.css");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");

  private StaticRoutes() {}

  static void serve(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String name = FILES.get(path);
    if (name == null) throw HttpError.notFound("Not found: " + path);
    byte[] body;
    try (InputStream in = StaticRoutes.class.getResourceAsStream("web/" + name)) {
      if (in == null) throw new IllegalStateException("The page's " + name + " is not in the jar.");
      body = in.readAllBytes();
    }
    ex.getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'");
    Http.bytes(ex, 200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), body);
  }
}
