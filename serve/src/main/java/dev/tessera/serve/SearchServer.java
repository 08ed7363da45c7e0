package dev.tessera.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.api.FilterSyntaxException;
import dev.tessera.api.FingerprintMismatchException;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.TesseraException;
import dev.tessera.encoders.onnx.ImageDecodeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code tessera serve}: the search page, the JSON API and the images of one collection, on the
 * JDK's built-in HTTP server. Read-only: the collection is never written, and a generation switch
 * by another process is picked up. Start with {@link #start}, stop with {@link #close}.
 */
public final class SearchServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SearchServer.class.getName());

  private final ServeConfig config;
  private final LiveCollection live;
  private final MultiModalEncoder encoder;
  private final HttpServer http;
  private final ExecutorService threads;

  private SearchServer(ServeConfig config, MultiModalEncoder encoder) throws IOException {
    this.config = config;
    this.live = new LiveCollection(config.collection());
    this.encoder = encoder;
    applyTimeouts(config);
    try {
      this.http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
    } catch (IOException e) {
      live.close();
      throw new UncheckedIOException(
          "Could not listen on "
              + config.host()
              + ":"
              + config.port()
              + " ("
              + e.getMessage()
              + "): pick another with --port N (0 for any free one).",
          e);
    }
    ApiRoutes api = new ApiRoutes(live, encoder, config);
    FileRoutes files =
        new FileRoutes(live, new Thumbnails(config.thumbnails(), config.maxPixels()));
    http.createContext("/api/search", ex -> handle(ex, api::search));
    http.createContext("/api/info", ex -> handle(ex, api::info));
    http.createContext("/api/items/", ex -> handle(ex, api::item));
    http.createContext("/files/", ex -> handle(ex, files::file));
    http.createContext("/thumbnails/", ex -> handle(ex, files::thumbnail));
    http.createContext("/", ex -> handle(ex, StaticRoutes::serve));
    this.threads = Executors.newFixedThreadPool(8);
    http.setExecutor(threads);
  }

  /**
   * Opens the collection read-only and starts serving it with {@code encoder} (not closed here).
   */
  public static SearchServer start(ServeConfig config, MultiModalEncoder encoder)
      throws IOException {
    SearchServer s = new SearchServer(config, encoder);
    s.http.start();
    return s;
  }

  /** The address the page is at, with the token when one is required. */
  public URI url() {
    InetSocketAddress a = http.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) host = "[" + host + "]";
    return URI.create(
        "http://"
            + host
            + ":"
            + a.getPort()
            + "/"
            + (config.token() == null ? "" : "?token=" + config.token()));
  }

  /** The port bound (useful with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** Why the encoder can not search the collection (another model), or null when it can. */
  public String modelProblem() {
    return ApiRoutes.modelProblem(live.get(), encoder);
  }

  /** The settings served with. */
  public ServeConfig config() {
    return config;
  }

  /**
   * The JDK server reads its request and response limits from system properties once; they are set
   * here unless the user set them (values in seconds).
   */
  private static void applyTimeouts(ServeConfig config) {
    String secs = Long.toString(Math.max(1, config.requestTimeout().toSeconds()));
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", secs);
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", secs);
    }
  }

  /** One route's work. */
  interface Route {
    void run(HttpExchange ex) throws IOException;
  }

  private void handle(HttpExchange ex, Route route) throws IOException {
    try {
      if (!authorized(ex)) {
        Http.error(
            ex,
            401,
            "This server needs its access token: open the URL tessera serve printed (it ends in"
                + " ?token=...), or send 'Authorization: Bearer TOKEN'.");
        return;
      }
      route.run(ex);
    } catch (HttpError e) {
      Http.error(ex, e.status(), e.getMessage());
    } catch (FingerprintMismatchException e) {
      Http.error(ex, 409, e.getMessage());
    } catch (FilterSyntaxException | ImageDecodeException | IllegalArgumentException e) {
      Http.error(ex, 400, e.getMessage());
    } catch (TesseraException | UncheckedIOException e) {
      LOG.log(System.Logger.Level.WARNING, "tessera serve: " + e.getMessage(), e);
      Http.error(ex, 500, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "tessera serve: " + e, e);
      Http.error(ex, 500, e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      ex.close();
    }
  }

  private boolean authorized(HttpExchange ex) {
    String token = config.token();
    if (token == null) return true;
    String given = null;
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header != null && header.startsWith("Bearer ")) given = header.substring(7).strip();
    if (given == null) given = Http.query(ex).get("token");
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  /** Stops serving and closes the collection (not the encoder). */
  @Override
  public void close() {
    http.stop(0);
    threads.shutdownNow();
    live.close();
  }
}
