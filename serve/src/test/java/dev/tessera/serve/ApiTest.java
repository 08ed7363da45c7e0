package dev.tessera.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API and the file routes over a real collection, through the JDK's HTTP client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
  Fixture fx;
  SearchServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path tmp) throws IOException {
    fx = new Fixture(tmp);
    server =
        SearchServer.start(
            ServeConfig.of(fx.collection).withAddress("127.0.0.1", 0).withMaxUploadBytes(200_000),
            fx.encoder);
  }

  @AfterAll
  void stop() {
    server.close();
    fx.encoder.close();
  }

  HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.port() + "/");
  }

  static JsonObject json(HttpResponse<byte[]> r) {
    return JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonObject();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A refusal: the status, a JSON {status, error} body with the message, and no image bytes. */
  static void refused(HttpResponse<byte[]> r, int status, String message) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> t.contains("json"));
    JsonObject o = json(r);
    assertThat(o.get("status").getAsInt()).isEqualTo(status);
    assertThat(o.get("error").getAsString()).contains(message);
  }

  @Test
  void info_names_the_collection_model_and_counts() throws Exception {
    JsonObject i = json(get("api/info"));
    assertThat(i.get("name").getAsString()).isEqualTo("demo.tessera");
    assertThat(i.get("images").getAsLong()).isEqualTo(4);
    assertThat(i.get("texts").getAsLong()).isEqualTo(2);
    assertThat(i.get("store").getAsString()).isEqualTo("lucene");
    assertThat(i.get("model").getAsString()).isEqualTo(fx.encoder.fingerprint().name());
    assertThat(i.get("problem").isJsonNull()).isTrue();
  }

  @Test
  void text_search_finds_the_red_circle_first() throws Exception {
    HttpResponse<byte[]> r = get("api/search?text=" + enc("a large red circle") + "&only=images");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject top = json(r).getAsJsonArray("hits").get(0).getAsJsonObject();
    assertThat(top.get("id").getAsString()).isEqualTo("image:red-circle.png");
    assertThat(top.get("thumbnail").getAsString()).isEqualTo("/thumbnails/image%3Ared-circle.png");
    assertThat(top.getAsJsonObject("metadata").get("album").getAsString()).isEqualTo("warm");
  }

  @Test
  void where_filters_on_metadata_and_a_bad_filter_names_the_position() throws Exception {
    JsonObject d =
        json(get("api/search?text=" + enc("a red circle") + "&where=" + enc("album = \"cold\"")));
    assertThat(d.getAsJsonArray("hits")).hasSize(1);
    assertThat(d.getAsJsonArray("hits").get(0).getAsJsonObject().get("id").getAsString())
        .isEqualTo("image:blue-square.png");
    refused(get("api/search?text=x&where=" + enc("year >=")), 400, "Bad filter at position 8 of");
  }

  @Test
  void bad_parameters_are_refused_with_the_fix() throws Exception {
    refused(get("api/search?text=x&k=0"), 400, "k must be a whole number from 1 to 1000");
    refused(get("api/search?text=x&only=pictures"), 400, "only must be images, texts or both");
    refused(get("api/search"), 400, "Say what to search for");
    refused(get("api/search?like=" + enc("image:nope.png")), 404, "No item 'image:nope.png'");
  }

  @Test
  void more_like_this_searches_with_the_stored_embedding() throws Exception {
    JsonObject d = json(get("api/search?only=images&like=" + enc("image:blue-square.png")));
    assertThat(d.getAsJsonArray("hits").get(0).getAsJsonObject().get("id").getAsString())
        .isEqualTo("image:blue-square.png");
  }

  @Test
  void image_upload_searches_and_bad_or_oversize_uploads_are_refused() throws Exception {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(Fixture.picture(Color.BLACK, new Color(30, 70, 220), false), "png", png);
    HttpResponse<byte[]> r = post("api/search?only=images&k=2", png.toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).getAsJsonArray("hits").get(0).getAsJsonObject().get("id").getAsString())
        .isEqualTo("image:blue-square.png");
    refused(post("api/search", "not an image".getBytes(StandardCharsets.UTF_8)), 400, "image");
    refused(post("api/search", new byte[300_000]), 413, "at most 200000 bytes");
    refused(post("api/search", new byte[0]), 400, "The request body is empty");
  }

  @Test
  void items_are_described_and_unknown_ids_are_404() throws Exception {
    JsonObject item = json(get("api/items/" + enc("caption:red-circle.png#1")));
    assertThat(item.get("text").getAsString())
        .isEqualTo("a large red circle on a white background");
    assertThat(item.get("thumbnail").isJsonNull()).isTrue();
    refused(get("api/items/" + enc("image:ghost.png")), 404, "No item 'image:ghost.png'");
  }

  @Test
  void files_and_thumbnails_of_image_items_are_served() throws Exception {
    HttpResponse<byte[]> f = get("files/" + enc("image:red-circle.png"));
    assertThat(f.statusCode()).isEqualTo(200);
    assertThat(f.body()).isEqualTo(Files.readAllBytes(fx.pictures.resolve("red-circle.png")));
    HttpResponse<byte[]> t = get("thumbnails/" + enc("image:red-circle.png"));
    assertThat(t.statusCode()).isEqualTo(200);
    assertThat(t.headers().firstValue("Content-Type")).hasValue("image/png");
    var img = ImageIO.read(new java.io.ByteArrayInputStream(t.body()));
    assertThat(new Color(img.getRGB(img.getWidth() / 2, img.getHeight() / 2)))
        .isEqualTo(new Color(220, 30, 30));
    Path cache = ServeConfig.defaultThumbnails(fx.collection);
    assertThat(cache.getParent()).isEqualTo(fx.collection.toAbsolutePath().getParent());
    try (var s = Files.list(cache)) {
      assertThat(s.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(1);
    }
  }

  @Test
  void nothing_but_image_items_inside_their_folder_is_ever_served() throws Exception {
    refused(get("files/" + enc("image:link.png")), 404, "link leaving its source folder");
    refused(get("thumbnails/" + enc("image:link.png")), 404, "link leaving its source folder");
    refused(get("files/" + enc("image:sneaky.png")), 404, "holds '..'");
    refused(get("files/" + enc("text:notes.txt")), 404, "is not an image item");
    refused(get("files/" + enc("caption:red-circle.png#1")), 404, "is not an image item");
    refused(get("files/" + enc("image:../outside/secret.png")), 404, "No item");
    refused(get("files/%2E%2E%2Foutside%2Fsecret.png"), 404, "No item");
    refused(get("files/../outside/secret.png"), 404, "");
    refused(get("thumbnails/" + enc("image:nope.png")), 404, "No item 'image:nope.png'");
    refused(get("etc/passwd"), 404, "Not found");
  }

  @Test
  void the_page_is_served_from_the_jar() throws Exception {
    HttpResponse<byte[]> r = get("");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("<script src=\"app.js\"");
    assertThat(get("app.js").statusCode()).isEqualTo(200);
    assertThat(get("app.css").statusCode()).isEqualTo(200);
  }
}
