package dev.tessera.cli;

import static dev.tessera.cli.CliTest.tessera;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tessera.api.Filter;
import dev.tessera.api.FingerprintMismatchException;
import dev.tessera.api.Hit;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.collection.GenerationManifest;
import dev.tessera.api.collection.Generations;
import dev.tessera.api.collection.Reindexer;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStores;
import dev.tessera.cassandra.launcher.CassandraNode;
import dev.tessera.cassandra.launcher.SharedCassandra;
import dev.tessera.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tessera index} and {@code tessera reindex} on the {@code cassandra} store, against a real
 * Cassandra 5.0 node ({@link SharedCassandra}, one per test JVM), with the fake bag-of-words
 * models.
 */
class CassandraReindexTest {
  @TempDir Path tmp;
  Path photos;
  Path modelA;
  Path modelB;
  Path collection;
  String contactPoint;
  String datacenter;

  @BeforeEach
  void folder() throws Exception {
    CassandraNode node = SharedCassandra.node();
    contactPoint = node.address() + ":" + node.nativePort();
    datacenter = node.datacenter();
    photos = Files.createDirectories(tmp.resolve("photos"));
    Files.write(photos.resolve("001-red-circle.png"), CliTest.PNG);
    Files.write(photos.resolve("002-blue-star.png"), CliTest.PNG);
    Files.createDirectories(photos.resolve("sub"));
    Files.write(photos.resolve("sub/003-green-square.data"), CliTest.PNG);
    Files.writeString(photos.resolve("sub/note.txt"), "a green square drawn on paper");
    Files.writeString(
        photos.resolve("captions.csv"), "image,caption\n001-red-circle.png,a red circle\n");
    modelA = FakeEncoderProvider.write(tmp.resolve("model-a"), "A", false);
    modelB = FakeEncoderProvider.write(tmp.resolve("model-b"), "B", false);
    collection = tmp.resolve("c.tessera");
  }

  /** {@code tessera index photos --collection C --model M} and {@code more}. */
  private Run index(Path model, String... more) {
    return withArgs(List.of("index", photos.toString()), model, more);
  }

  /** {@code tessera reindex --collection C --model M} and {@code more}. */
  private Run reindex(Path model, String... more) {
    return withArgs(List.of("reindex"), model, more);
  }

  private Run withArgs(List<String> command, Path model, String... more) {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("--collection", collection.toString(), "--model", model.toString()));
    args.addAll(List.of(more));
    return tessera(args.toArray(String[]::new));
  }

  /** {@code --store cassandra} with the shared node's contact point and datacenter. */
  private String[] onTheNode() {
    return new String[] {
      "--store", "cassandra", "--contact-points", contactPoint, "--datacenter", datacenter
    };
  }

  private Run indexOnCassandra(Path model) {
    return index(model, onTheNode());
  }

  private static ModelFingerprint fingerprint(Path model) throws Exception {
    try (MultiModalEncoder e = new FakeEncoderProvider().open(model, Map.of())) {
      return e.fingerprint();
    }
  }

  private JsonObject info() {
    Run r = tessera("info", "--collection", collection.toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    return JsonParser.parseString(r.out()).getAsJsonObject();
  }

  private Run searchImages(String text, Path model) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "search",
                "--collection",
                collection.toString(),
                "--text",
                text,
                "-k",
                "1",
                "--only",
                "images"));
    if (model != null) args.addAll(List.of("--model", model.toString()));
    return tessera(args.toArray(String[]::new));
  }

  @Test
  void reindex_of_a_cassandra_collection_switches_model_and_keeps_every_record() throws Exception {
    Run index = indexOnCassandra(modelA);
    assertThat(index.code()).as(index.out() + index.err()).isZero();
    assertThat(info().get("store").getAsString()).isEqualTo("cassandra");

    Run r = reindex(modelB);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("Re-embedded 5 records (0 resumed) of 5 from gen-000001 into gen-000002")
        .contains("Switched ");

    JsonObject info = info();
    assertThat(info.get("store").getAsString()).isEqualTo("cassandra");
    assertThat(info.get("generation").getAsString()).isEqualTo("gen-000002");
    assertThat(info.getAsJsonObject("fingerprint").get("canonical").getAsString())
        .isEqualTo(fingerprint(modelB).canonical());
    assertThat(info.get("records").getAsInt()).isEqualTo(5);
    assertThat(info.get("images").getAsInt()).isEqualTo(3);
    assertThat(info.get("texts").getAsInt()).isEqualTo(2);
    // the new generation is a new store in the same cluster: its settings name the same node
    assertThat(info.getAsJsonObject("settings").get("contact-points").getAsString())
        .isEqualTo(contactPoint);

    Run s = searchImages("red circle", null);
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("001-red-circle.png");
    Run star = searchImages("blue star", modelB);
    assertThat(star.code()).as(star.err()).isZero();
    assertThat(star.out()).contains("002-blue-star.png");

    // model A's queries are refused now, by the command and by the api
    Run withA = searchImages("red circle", modelA);
    assertThat(withA.code()).isEqualTo(1);
    assertThat(withA.err()).contains("fingerprint mismatch").contains("bag-of-words-A");
    ModelFingerprint a = fingerprint(modelA);
    assertThatThrownBy(() -> VectorCollection.openReadOnly(collection, a))
        .isInstanceOf(FingerprintMismatchException.class);

    // the old generation is kept, and its store (its own partition in the cluster) still opens
    // read-only with model A and holds every record
    GenerationManifest old =
        Generations.list(collection).stream()
            .filter(g -> g.name().equals("gen-000001"))
            .findFirst()
            .orElseThrow()
            .manifest();
    assertThat(old.store()).isEqualTo("cassandra");
    assertThat(old.fingerprint()).isEqualTo(a);
    try (VectorStore store =
        VectorStores.provider("cassandra")
            .open(
                new StoreContext(
                    collection.resolve("gen-000001").resolve("store"), old.settings(), true))) {
      assertThat(store.fingerprint()).isEqualTo(a);
      assertThat(store.count()).isEqualTo(5);
      List<Hit> hits =
          store.search(
              FakeEncoderProvider.vector("A", "red circle"), 1, Filter.modality(Modality.IMAGE));
      assertThat(hits).extracting(Hit::id).containsExactly("image:001-red-circle.png");
    }
  }

  @Test
  void an_interrupted_reindex_on_cassandra_resumes_without_losing_records() throws Exception {
    Run index = indexOnCassandra(modelA);
    assertThat(index.code()).as(index.out() + index.err()).isZero();

    // a run that dies after its first committed batch of 2 (the listener throws, as a kill would
    // stop it): the staged generation keeps those 2 and is not published
    try (MultiModalEncoder b = new FakeEncoderProvider().open(modelB, Map.of())) {
      Reindexer dying =
          Reindexer.of(collection, b)
              .batchSize(2)
              .listener(
                  new Reindexer.Listener() {
                    @Override
                    public void progress(long done, long total) {
                      throw new IllegalStateException("killed after " + done + " of " + total);
                    }
                  });
      assertThatThrownBy(dying::run).hasMessage("killed after 2 of 5");
    }
    assertThat(info().get("generation").getAsString()).isEqualTo("gen-000001");

    Run r = reindex(modelB, "--batch", "2");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("Resuming: 2 of 5 records were re-embedded by an earlier run.")
        .contains("Re-embedded 3 records (2 resumed) of 5 from gen-000001 into gen-000002");
    JsonObject info = info();
    assertThat(info.get("records").getAsInt()).isEqualTo(5);
    assertThat(info.getAsJsonObject("fingerprint").get("canonical").getAsString())
        .isEqualTo(fingerprint(modelB).canonical());
    try (VectorCollection c = VectorCollection.openReadOnly(collection, fingerprint(modelB))) {
      List<String> ids = new ArrayList<>();
      c.forEach(i -> ids.add(i.id()));
      assertThat(ids)
          .containsExactlyInAnyOrder(
              "image:001-red-circle.png",
              "image:002-blue-star.png",
              "image:sub/003-green-square.data",
              "text:sub/note.txt",
              "caption:001-red-circle.png#1");
    }
  }

  @Test
  void reindex_moves_a_collection_to_cassandra_given_the_cluster_and_refuses_without_it() {
    Run index = index(modelA, "--store", "memory");
    assertThat(index.code()).as(index.out() + index.err()).isZero();

    Run without = reindex(modelB, "--store", "cassandra");
    assertThat(without.code()).isEqualTo(1);
    assertThat(without.err())
        .startsWith("tessera: reindex --store cassandra needs the cluster: add --contact-points");
    Run wrongStore = reindex(modelB, "--contact-points", contactPoint);
    assertThat(wrongStore.code()).isEqualTo(1);
    assertThat(wrongStore.err())
        .contains("--contact-points is for --store cassandra, not --store memory.");
    assertThat(Generations.list(collection)).as("nothing staged by the refused runs").hasSize(1);

    Run r = reindex(modelB, onTheNode());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    JsonObject info = info();
    assertThat(info.get("store").getAsString()).isEqualTo("cassandra");
    assertThat(info.get("records").getAsInt()).isEqualTo(5);
    assertThat(searchImages("red circle", null).out()).contains("001-red-circle.png");
  }

  @Test
  void index_on_cassandra_needs_the_cluster() {
    Run r = index(modelA, "--store", "cassandra");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("tessera: index --store cassandra needs the cluster: add --contact-points");
    assertThat(collection).as("nothing created").doesNotExist();
    Run dc = index(modelA, "--store", "cassandra", "--datacenter", "dc1");
    assertThat(dc.code()).isEqualTo(1);
    assertThat(dc.err()).contains("--datacenter dc1 needs --contact-points HOST:PORT");
  }
}
