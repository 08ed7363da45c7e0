package dev.tessera.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code GET /files/{id}} and {@code GET /thumbnails/{id}}: bytes of image items only. */
final class FileRoutes {
  private final LiveCollection live;
  private final Thumbnails thumbnails;

  FileRoutes(LiveCollection live, Thumbnails thumbnails) {
    this.live = live;
    this.thumbnails = thumbnails;
  }

  void file(HttpExchange ex) throws IOException {
    Path f = ImageFiles.resolve(live.get(), Http.tail(ex, "/files/"));
    ex.getResponseHeaders().set("Cache-Control", "private, max-age=60");
    Http.bytes(ex, 200, ImageFiles.type(f), Files.readAllBytes(f));
  }

  void thumbnail(HttpExchange ex) throws IOException {
    Path f = ImageFiles.resolve(live.get(), Http.tail(ex, "/thumbnails/"));
    ex.getResponseHeaders().set("Cache-Control", "private, max-age=60");
    Http.bytes(ex, 200, "image/png", thumbnails.of(f));
  }
}
