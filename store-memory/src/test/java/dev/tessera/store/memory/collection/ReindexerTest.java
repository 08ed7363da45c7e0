package dev.tessera.store.memory.collection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Similarity;
import dev.tessera.api.TesseraException;
import dev.tessera.api.collection.Reindexer;
import dev.tessera.api.collection.VectorCollection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reindex: re-embed from sources into a new generation, verify, switch; resume; report what can't
 * be re-embedded.
 */
class ReindexerTest {
  @TempDir Path tmp;

  /** A deterministic 4-d "model": each text or file content maps to a unit vector from its hash. */
  static final class HashEncoder implements MultiModalEncoder {
    final ModelFingerprint fp;
    final AtomicInteger embedded = new AtomicInteger();
    int failAfter = Integer.MAX_VALUE;

    HashEncoder(String digestChar) {
      fp = ModelFingerprint.of("hash-model", 4, Similarity.COSINE, true, digestChar.repeat(64));
    }

    static float[] vec(String s) {
      int h = s.hashCode();
      float[] v = {
        1 + (h & 0xff), 1 + ((h >> 8) & 0xff), 1 + ((h >> 16) & 0xff), 1 + ((h >> 24) & 0x7f)
      };
      return VectorCollectionTest.unit(v);
    }

    @Override
    public ModelFingerprint fingerprint() {
      return fp;
    }

    @Override
    public List<Embedding> embedTexts(List<String> texts) {
      if (embedded.addAndGet(texts.size()) > failAfter)
        throw new IllegalStateException("simulated crash");
      return texts.stream().map(t -> Embedding.text(vec("t:" + t), fp)).toList();
    }

    @Override
    public List<EmbeddingResult> embedImages(List<Path> images) {
      List<EmbeddingResult> out = new ArrayList<>();
      for (Path p : images) {
        try {
          out.add(
              EmbeddingResult.success(
                  p.toString(), Embedding.image(vec("i:" + Files.readString(p)), fp)));
        } catch (java.io.IOException e) {
          out.add(
              EmbeddingResult.failure(
                  p.toString(), new TesseraException("Can not read image " + p + ": " + e)));
        }
      }
      return out;
    }

    @Override
    public void close() {}
  }

  private Path collectionWith(int texts, List<Path> images, boolean oneWithoutSource)
      throws Exception {
    Path dir = tmp.resolve("c");
    HashEncoder old = new HashEncoder("a");
    try (VectorCollection c = VectorCollection.create(dir, "memory", old.fingerprint())) {
      List<Item> items = new ArrayList<>();
      for (int i = 0; i < texts; i++)
        items.add(
            Item.text(String.format("t%03d", i), "caption " + i, old.embedText("caption " + i))
                .with("n", "" + i));
      for (Path p : images)
        items.add(Item.image(p.getFileName().toString(), p.toString(), old.embedImage(p)));
      if (oneWithoutSource) items.add(Item.of("orphan", old.embedText("orphan")));
      c.upsert(items);
      c.commit();
    }
    return dir;
  }

  @Test
  void should_reembed_every_record_and_switch_while_old_readers_keep_working() throws Exception {
    Path img = tmp.resolve("red.png");
    Files.writeString(img, "pixels of a red circle", StandardCharsets.UTF_8);
    Path dir = collectionWith(50, List.of(img), false);
    HashEncoder neu = new HashEncoder("b");
    try (VectorCollection reader = VectorCollection.openReadOnly(dir, null)) {
      Reindexer.Report r = Reindexer.of(dir, neu).batchSize(8).run();
      assertThat(r.published()).isTrue();
      assertThat(r.total()).isEqualTo(51);
      assertThat(r.reembedded()).isEqualTo(51);
      assertThat(r.toGeneration()).isEqualTo("gen-000002");
      // The reader opened before the switch still answers on the old model.
      assertThat(reader.fingerprint()).isEqualTo(new HashEncoder("a").fingerprint());
      assertThat(reader.count()).isEqualTo(51);
    }
    try (VectorCollection c = VectorCollection.open(dir, neu.fingerprint())) {
      assertThat(c.count()).isEqualTo(51);
      assertThat(c.get("t007").orElseThrow().metadata().get("n")).isEqualTo("7");
      List<Hit> hits = c.search(neu.embedText("caption 7"), 1);
      assertThat(hits).extracting(Hit::id).containsExactly("t007");
      assertThat(c.search(neu.embedImage(img), 1)).extracting(Hit::id).containsExactly("red.png");
    }
  }

  @Test
  void should_resume_a_killed_run_without_reembedding_committed_batches() throws Exception {
    Path dir = collectionWith(40, List.of(), false);
    HashEncoder crashing = new HashEncoder("b");
    crashing.failAfter = 20;
    try {
      Reindexer.of(dir, crashing).batchSize(8).run();
    } catch (IllegalStateException expected) {
      assertThat(expected).hasMessage("simulated crash");
    }
    try (VectorCollection live = VectorCollection.open(dir)) {
      assertThat(live.fingerprint()).isEqualTo(new HashEncoder("a").fingerprint());
      assertThat(live.count()).isEqualTo(40);
    }
    HashEncoder again = new HashEncoder("b");
    Reindexer.Report r = Reindexer.of(dir, again).batchSize(8).run();
    assertThat(r.resumed()).isEqualTo(16);
    assertThat(r.reembedded()).isEqualTo(24);
    assertThat(again.embedded.get()).isEqualTo(24);
    assertThat(r.published()).isTrue();
    try (VectorCollection c = VectorCollection.open(dir, again.fingerprint())) {
      assertThat(c.count()).isEqualTo(40);
    }
  }

  @Test
  void should_report_records_without_a_usable_source_and_not_publish_by_default() throws Exception {
    Path img = tmp.resolve("gone.png");
    Files.writeString(img, "soon deleted");
    Path dir = collectionWith(5, List.of(img), true);
    Files.delete(img);
    HashEncoder neu = new HashEncoder("b");
    Reindexer.Report r = Reindexer.of(dir, neu).run();
    assertThat(r.withoutSource()).containsExactly("orphan");
    assertThat(r.failed()).containsOnlyKeys("gone.png");
    assertThat(r.failed().get("gone.png")).contains("Can not read image");
    assertThat(r.published()).isFalse();
    try (VectorCollection live = VectorCollection.open(dir)) {
      assertThat(live.fingerprint()).isEqualTo(new HashEncoder("a").fingerprint());
      assertThat(live.count()).isEqualTo(7);
    }
    Reindexer.Report forced = Reindexer.of(dir, neu).allowIncomplete(true).run();
    assertThat(forced.published()).isTrue();
    try (VectorCollection c = VectorCollection.open(dir, neu.fingerprint())) {
      assertThat(c.count()).isEqualTo(5);
    }
  }
}
