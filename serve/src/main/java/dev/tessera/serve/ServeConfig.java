package dev.tessera.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link SearchServer} serves and how: the collection, the address, the optional access token
 * and the limits.
 *
 * @param collection the collection directory (opened read-only)
 * @param host the address to bind; loopback unless told otherwise
 * @param port the port, 0 for any free one
 * @param token the access token every request must carry, or null for none
 * @param thumbnails the thumbnail cache folder (beside the collection, never inside it)
 * @param maxUploadBytes the largest image body {@code POST /api/search} accepts
 * @param maxPixels the largest image (width × height) decoded for a query or a thumbnail
 * @param requestTimeout how long a client may take to send a request, and the server to answer
 */
public record ServeConfig(
    Path collection,
    String host,
    int port,
    String token,
    Path thumbnails,
    long maxUploadBytes,
    long maxPixels,
    Duration requestTimeout) {
  /** The default address: loopback only. */
  public static final String LOOPBACK = "127.0.0.1";

  /** The default port. */
  public static final int DEFAULT_PORT = 8080;

  /** The default upload limit, 20 MiB. */
  public static final long DEFAULT_MAX_UPLOAD = 20L << 20;

  /** The default pixel limit, 50 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

  /** Checks the values. */
  public ServeConfig {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(thumbnails, "thumbnails");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port + ".");
    }
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("--token is empty: pass a non-empty token or none.");
    }
    if (maxUploadBytes < 1 || maxPixels < 1) {
      throw new IllegalArgumentException("The upload and pixel limits must be positive.");
    }
    Path abs = collection.toAbsolutePath().normalize();
    Path th = thumbnails.toAbsolutePath().normalize();
    if (th.startsWith(abs)) {
      throw new IllegalArgumentException(
          "The thumbnail cache "
              + th
              + " is inside the collection "
              + abs
              + ": put it beside the collection.");
    }
  }

  /** The defaults for {@code collection}: loopback, port 8080, no token, thumbnails beside it. */
  public static ServeConfig of(Path collection) {
    return new ServeConfig(
        collection,
        LOOPBACK,
        DEFAULT_PORT,
        null,
        defaultThumbnails(collection),
        DEFAULT_MAX_UPLOAD,
        DEFAULT_MAX_PIXELS,
        Duration.ofSeconds(30));
  }

  /** {@code photos.tessera} → {@code photos.tessera.thumbnails} in the same folder. */
  public static Path defaultThumbnails(Path collection) {
    Path abs = collection.toAbsolutePath().normalize();
    return abs.resolveSibling(abs.getFileName() + ".thumbnails");
  }

  /** The same with another address. */
  public ServeConfig withAddress(String host, int port) {
    return new ServeConfig(
        collection, host, port, token, thumbnails, maxUploadBytes, maxPixels, requestTimeout);
  }

  /** The same with an access token (or null for none). */
  public ServeConfig withToken(String token) {
    return new ServeConfig(
        collection, host, port, token, thumbnails, maxUploadBytes, maxPixels, requestTimeout);
  }

  /** The same with another upload limit. */
  public ServeConfig withMaxUploadBytes(long maxUploadBytes) {
    return new ServeConfig(
        collection, host, port, token, thumbnails, maxUploadBytes, maxPixels, requestTimeout);
  }

  /** The same with another pixel limit. */
  public ServeConfig withMaxPixels(long maxPixels) {
    return new ServeConfig(
        collection, host, port, token, thumbnails, maxUploadBytes, maxPixels, requestTimeout);
  }

  /** Whether the address is a loopback one, reachable only from this machine. */
  public boolean isLoopback() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }
}
