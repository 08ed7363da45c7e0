package dev.tessera.store.memory.collection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.TesseraException;
import dev.tessera.api.collection.FolderSync;
import dev.tessera.api.collection.VectorCollection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder sync: new, changed and deleted files; skip reasons; pairing; stopping; captions. */
class FolderSyncTest {
  @TempDir Path tmp;
  Path folder;
  Path dir;

  /**
   * Embeds "images" by their text content (files starting "img:"), fails on others as a decoder
   * would, and returns results in reverse order so pairing by position would be wrong.
   */
  static final class ReversingEncoder implements MultiModalEncoder {
    final ReindexerTest.HashEncoder inner = new ReindexerTest.HashEncoder("c");
    final AtomicInteger imagesRead = new AtomicInteger();

    @Override
    public ModelFingerprint fingerprint() {
      return inner.fingerprint();
    }

    @Override
    public List<Embedding> embedTexts(List<String> texts) {
      return inner.embedTexts(texts);
    }

    @Override
    public List<EmbeddingResult> embedImages(List<Path> images) {
      List<EmbeddingResult> out = new ArrayList<>();
      for (Path p : images) {
        imagesRead.incrementAndGet();
        try {
          String s = Files.readString(p);
          out.add(
              s.startsWith("img:")
                  ? EmbeddingResult.success(
                      p.toString(),
                      Embedding.image(ReindexerTest.HashEncoder.vec(s), fingerprint()))
                  : EmbeddingResult.failure(
                      p.toString(), new TesseraException("File " + p + " is not an image.")));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      Collections.reverse(out);
      return out;
    }

    @Override
    public void close() {}
  }

  static final FolderSync.CaptionSource PIPE_CAPTIONS =
      new FolderSync.CaptionSource() {
        @Override
        public boolean isManifest(Path file) {
          return file.getFileName().toString().equals("captions.psv");
        }

        @Override
        public FolderSync.CaptionManifest read(Path manifest) throws java.io.IOException {
          List<FolderSync.Caption> cs = new ArrayList<>();
          List<FolderSync.Problem> ps = new ArrayList<>();
          List<String> lines = Files.readAllLines(manifest);
          for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\\|");
            if (f.length == 2) cs.add(new FolderSync.Caption(f[0], f[1]));
            else ps.add(new FolderSync.Problem(i + 1, "expected image|caption"));
          }
          return new FolderSync.CaptionManifest(cs, ps);
        }
      };

  @BeforeEach
  void setUp() throws Exception {
    folder = Files.createDirectories(tmp.resolve("photos"));
    dir = tmp.resolve("c.tessera");
    for (String n : List.of("a", "b", "c", "d", "e")) {
      Files.writeString(folder.resolve(n + ".png"), "img:" + n);
    }
    Files.writeString(folder.resolve("fake.png"), "plain text");
    Files.writeString(folder.resolve("note.txt"), "a note");
    Files.writeString(folder.resolve("captions.psv"), "a.png|a caption\nbroken line\n");
    Files.writeString(folder.resolve("readme.md"), "other kind");
  }

  private FolderSync.Report sync(ReversingEncoder enc, int batch) {
    try (VectorCollection c = VectorCollection.openOrCreate(dir, "memory", enc.fingerprint())) {
      return new FolderSync(c, enc).batchSize(batch).captions(PIPE_CAPTIONS).run(folder);
    }
  }

  @Test
  void should_index_pair_by_label_and_list_every_skipped_file_with_its_reason() {
    ReversingEncoder enc = new ReversingEncoder();
    FolderSync.Report r = sync(enc, 3);
    assertThat(r.images()).isEqualTo(5);
    assertThat(r.texts()).isEqualTo(2); // note.txt and one caption
    assertThat(r.skipped())
        .containsOnlyKeys(
            folder.resolve("fake.png").toString(), folder.resolve("captions.psv") + ":2")
        .containsEntry(
            folder.resolve("fake.png").toString(),
            "File " + folder.resolve("fake.png") + " is not an image.");
    assertThat(r.ignored()).containsExactly(folder.resolve("readme.md").toString());
    assertThat(enc.imagesRead).as("each image read once, by the encoder").hasValue(6);
    try (VectorCollection c = VectorCollection.openReadOnly(dir, null)) {
      // reversed results still land on their own file
      for (String n : List.of("a", "b", "c", "d", "e")) {
        assertThat(c.get("image:" + n + ".png").orElseThrow().embedding().vector())
            .containsExactly(ReindexerTest.HashEncoder.vec("img:" + n));
      }
      assertThat(c.get("caption:a.png#1")).isPresent();
    }
  }

  @Test
  void should_embed_only_changed_files_and_remove_deleted_ones() throws Exception {
    sync(new ReversingEncoder(), 32);
    Files.writeString(folder.resolve("b.png"), "img:b, redrawn");
    Files.setLastModifiedTime(folder.resolve("b.png"), FileTime.fromMillis(1_000_000));
    Files.delete(folder.resolve("c.png"));
    ReversingEncoder again = new ReversingEncoder();
    FolderSync.Report r = sync(again, 32);
    assertThat(r.embedded()).isEqualTo(1);
    assertThat(r.removed()).isEqualTo(1);
    assertThat(r.unchanged()).isEqualTo(5); // a, d, e, note, caption
    assertThat(again.imagesRead).as("unchanged images are not read").hasValue(2); // b + fake.png
    try (VectorCollection c = VectorCollection.openReadOnly(dir, null)) {
      assertThat(c.get("image:c.png")).isEmpty();
      assertThat(c.count()).isEqualTo(6);
    }
  }

  /** The memory store, counting calls of {@code forEach} (the scan that reads vectors). */
  static final class CountingProvider implements dev.tessera.api.spi.VectorStoreProvider {
    final dev.tessera.api.spi.VectorStoreProvider memory =
        dev.tessera.api.spi.VectorStores.provider("memory");
    final AtomicInteger vectorScans = new AtomicInteger();

    @Override
    public String name() {
      return "memory";
    }

    @Override
    public String description() {
      return "memory, counted";
    }

    @Override
    public dev.tessera.api.spi.VectorStore create(
        dev.tessera.api.spi.StoreContext context, ModelFingerprint fingerprint)
        throws java.io.IOException {
      return counted(memory.create(context, fingerprint));
    }

    @Override
    public dev.tessera.api.spi.VectorStore open(dev.tessera.api.spi.StoreContext context)
        throws java.io.IOException {
      return counted(memory.open(context));
    }

    private dev.tessera.api.spi.VectorStore counted(dev.tessera.api.spi.VectorStore store) {
      return (dev.tessera.api.spi.VectorStore)
          java.lang.reflect.Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {dev.tessera.api.spi.VectorStore.class},
              (proxy, method, args) -> {
                if (method.getName().equals("forEach")) vectorScans.incrementAndGet();
                try {
                  return method.invoke(store, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  @Test
  void should_find_changes_without_reading_a_vector() throws Exception {
    ReversingEncoder enc = new ReversingEncoder();
    CountingProvider counting = new CountingProvider();
    try (VectorCollection c =
        VectorCollection.create(dir, counting, enc.fingerprint(), Map.of(), Map.of())) {
      new FolderSync(c, enc).run(folder);
    }
    Files.writeString(folder.resolve("f.png"), "img:f");
    FolderSync.Report r;
    try (VectorCollection c = VectorCollection.open(dir, enc.fingerprint(), counting, false)) {
      r = new FolderSync(c, enc).run(folder);
    }
    assertThat(r.embedded()).isEqualTo(1);
    assertThat(r.unchanged()).isEqualTo(6);
    assertThat(counting.vectorScans).as("forEach calls (they load vectors)").hasValue(0);
  }

  @Test
  void should_stop_after_the_batch_in_flight_and_finish_on_the_next_run() {
    ReversingEncoder enc = new ReversingEncoder();
    FolderSync.Report r;
    try (VectorCollection c = VectorCollection.create(dir, "memory", enc.fingerprint())) {
      AtomicInteger batches = new AtomicInteger();
      r =
          new FolderSync(c, enc)
              .batchSize(2)
              .listener(
                  new FolderSync.Listener() {
                    @Override
                    public void committed(int batch, int total, int files, int records) {
                      if (batches.incrementAndGet() == 1) Thread.currentThread().interrupt();
                    }
                  })
              .run(folder);
      assertThat(Thread.interrupted()).isTrue(); // clears it for the test runner
    }
    assertThat(r.interrupted()).isTrue();
    assertThat(r.batches()).isEqualTo(1);
    assertThat(r.pending()).isEqualTo(5); // 7 wanted without captions, 2 done
    try (VectorCollection c = VectorCollection.openReadOnly(dir, null)) {
      assertThat(c.count()).isEqualTo(2);
    }
    FolderSync.Report rest = sync(new ReversingEncoder(), 2);
    assertThat(rest.interrupted()).isFalse();
    assertThat(rest.unchanged()).isEqualTo(2);
  }

  @Test
  void should_keep_the_model_hint_in_the_manifest_and_carry_it_through_a_reindex() {
    ReversingEncoder enc = new ReversingEncoder();
    try (VectorCollection c =
        VectorCollection.create(
            dir,
            dev.tessera.api.spi.VectorStores.provider("memory"),
            enc.fingerprint(),
            Map.of(),
            Map.of("model", "/models/one"))) {
      new FolderSync(c, enc).run(folder);
    }
    try (VectorCollection c = VectorCollection.open(dir, enc.fingerprint())) {
      assertThat(c.hint("model")).hasValue("/models/one");
      c.setHint("model", "/models/moved");
    }
    try (VectorCollection c = VectorCollection.openReadOnly(dir, null)) {
      assertThat(c.manifest().hints()).containsEntry("model", "/models/moved");
    }
    // same model: the hint is carried; another model: only the hints given
    dev.tessera.api.collection.Reindexer.of(dir, enc).run();
    try (VectorCollection c = VectorCollection.openReadOnly(dir, null)) {
      assertThat(c.generation()).isEqualTo("gen-000002");
      assertThat(c.hint("model")).hasValue("/models/moved");
    }
    dev.tessera.api.collection.Reindexer.of(dir, new ReindexerTest.HashEncoder("d")).run();
    try (VectorCollection c = VectorCollection.openReadOnly(dir, null)) {
      assertThat(c.generation()).isEqualTo("gen-000003");
      assertThat(c.hint("model")).isEmpty();
    }
  }
}
