package dev.tessera.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import dev.tessera.api.Item;
import dev.tessera.api.collection.Generations;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.VectorStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A foreign model's collection, the access token, a generation switch, and bad settings. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalTest {
  Fixture fx;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void setUp(@TempDir Path tmp) throws Exception {
    fx = new Fixture(tmp);
  }

  @AfterAll
  void tearDown() {
    fx.encoder.close();
  }

  HttpResponse<String> get(SearchServer s, String path, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/" + path));
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void a_collection_of_another_model_is_served_but_its_search_says_why_not() throws Exception {
    Path foreign = fx.foreignCollection();
    try (SearchServer s =
        SearchServer.start(ServeConfig.of(foreign).withAddress("127.0.0.1", 0), fx.encoder)) {
      HttpResponse<String> r = get(s, "api/search?text=circle", null);
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString())
          .startsWith("Model fingerprint mismatch on query")
          .contains("reindex");
      assertThat(get(s, "api/info", null).body()).contains("Model fingerprint mismatch");
    }
  }

  @Test
  void with_a_token_every_request_must_carry_it() throws Exception {
    try (SearchServer s =
        SearchServer.start(
            ServeConfig.of(fx.collection).withAddress("127.0.0.1", 0).withToken("s3cret"),
            fx.encoder)) {
      assertThat(get(s, "api/info", null).statusCode()).isEqualTo(401);
      assertThat(get(s, "", null).statusCode()).isEqualTo(401);
      assertThat(get(s, "api/info", "wrong").statusCode()).isEqualTo(401);
      assertThat(get(s, "api/info", "s3cret").statusCode()).isEqualTo(200);
      assertThat(get(s, "api/info?token=s3cret", null).statusCode()).isEqualTo(200);
      assertThat(s.url().toString()).endsWith("/?token=s3cret");
    }
  }

  @Test
  void a_new_generation_written_meanwhile_is_picked_up() throws Exception {
    try (SearchServer s =
        SearchServer.start(ServeConfig.of(fx.collection).withAddress("127.0.0.1", 0), fx.encoder)) {
      assertThat(get(s, "api/info", null).body()).contains("\"images\":4");
      // another process re-creates the collection in a new generation, as reindex does
      Item red;
      try (VectorCollection c = VectorCollection.openReadOnly(fx.collection, null)) {
        red = c.get("image:red-circle.png").orElseThrow();
      }
      try (VectorCollection staged =
          Generations.stage(
              fx.collection,
              VectorStores.provider("lucene"),
              red.embedding().fingerprint(),
              Map.of())) {
        staged.upsert(red);
        staged.publish();
      }
      Thread.sleep(300); // the server looks at CURRENT at most every 250 ms
      assertThat(get(s, "api/info", null).body()).contains("\"images\":1");
      assertThat(get(s, "api/search?text=circle", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void an_upload_over_the_pixel_limit_is_refused_before_decoding() throws Exception {
    try (SearchServer s =
        SearchServer.start(
            ServeConfig.of(fx.collection).withAddress("127.0.0.1", 0).withMaxPixels(1000),
            fx.encoder)) {
      java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
      javax.imageio.ImageIO.write(
          Fixture.picture(java.awt.Color.WHITE, java.awt.Color.RED, true), "png", png);
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/api/search?k=3"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("more than the limit of 1000 pixels").contains("bomb");
    }
  }

  @Test
  void settings_that_make_no_sense_are_refused() {
    assertThatThrownBy(() -> ServeConfig.of(fx.collection).withAddress("127.0.0.1", 70000))
        .hasMessageContaining("--port must be between 0 and 65535, got 70000");
    assertThatThrownBy(
            () ->
                new ServeConfig(
                    fx.collection,
                    "127.0.0.1",
                    0,
                    null,
                    fx.collection.resolve("thumbs"),
                    1,
                    1,
                    java.time.Duration.ofSeconds(1)))
        .hasMessageContaining("is inside the collection");
    assertThat(ServeConfig.of(fx.collection).isLoopback()).isTrue();
    assertThat(ServeConfig.of(fx.collection).withAddress("0.0.0.0", 1).isLoopback()).isFalse();
  }
}
