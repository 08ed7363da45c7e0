package dev.tessera.store.memory.collection;

import static dev.tessera.store.memory.collection.VectorCollectionTest.CLIP_A;
import static dev.tessera.store.memory.collection.VectorCollectionTest.CLIP_B;
import static dev.tessera.store.memory.collection.VectorCollectionTest.image;
import static dev.tessera.store.memory.collection.VectorCollectionTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.TesseraException;
import dev.tessera.api.collection.Generations;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.VectorStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collection directory: manifests, the generation pointer, and the switch to a new model. */
class CollectionLayoutTest {
  @TempDir Path tmp;

  @Test
  void a_new_collection_has_a_pointer_and_a_checksummed_manifest() throws Exception {
    Path dir = tmp.resolve("c");
    VectorCollection.create(dir, "memory", CLIP_A).close();
    assertThat(Files.readString(dir.resolve("CURRENT")))
        .contains("generation=gen-000001")
        .contains("checksum=sha256:");
    String manifest = Files.readString(dir.resolve("gen-000001/MANIFEST"));
    assertThat(manifest)
        .contains(
            "format=1",
            "store=memory",
            "fingerprint=" + CLIP_A.canonical(),
            "created=",
            "checksum=sha256:");
  }

  @Test
  void an_edited_manifest_is_refused() throws Exception {
    Path dir = tmp.resolve("c");
    VectorCollection.create(dir, "memory", CLIP_A).close();
    Path m = dir.resolve("gen-000001/MANIFEST");
    Files.writeString(m, Files.readString(m).replace("store=memory", "store=lucene"));
    assertThatThrownBy(() -> VectorCollection.open(dir))
        .isInstanceOf(CorruptCollectionException.class)
        .hasMessageContaining("MANIFEST fails its checksum");
  }

  @Test
  void a_foreign_or_truncated_pointer_is_refused() throws Exception {
    Path dir = tmp.resolve("c");
    VectorCollection.create(dir, "memory", CLIP_A).close();
    Files.writeString(dir.resolve("CURRENT"), "gen-000001\n");
    assertThatThrownBy(() -> VectorCollection.open(dir))
        .isInstanceOf(CorruptCollectionException.class)
        .hasMessageContaining("CURRENT has no checksum line");
    Files.write(dir.resolve("CURRENT"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    assertThatThrownBy(() -> VectorCollection.open(dir))
        .isInstanceOf(CorruptCollectionException.class)
        .hasMessageContaining("is not text");
  }

  @Test
  void a_directory_that_is_not_a_collection_is_neither_opened_nor_overwritten() throws Exception {
    Path dir = tmp.resolve("photos");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("cat.jpg"), "not really");
    assertThatThrownBy(() -> VectorCollection.open(dir))
        .isInstanceOf(TesseraException.class)
        .hasMessageContaining("is not a Tessera collection (it has no CURRENT file)");
    assertThatThrownBy(() -> VectorCollection.create(dir, "memory", CLIP_A))
        .isInstanceOf(TesseraException.class)
        .hasMessageContaining("the directory is not empty and is not a Tessera collection");
    assertThat(Files.readString(dir.resolve("cat.jpg"))).isEqualTo("not really");
    assertThatThrownBy(() -> VectorCollection.open(tmp.resolve("missing")))
        .isInstanceOf(TesseraException.class)
        .hasMessageStartingWith("No collection at ");
  }

  @Test
  void a_corrupt_store_snapshot_is_refused() throws Exception {
    Path dir = tmp.resolve("c");
    try (VectorCollection c = VectorCollection.create(dir, "memory", CLIP_A)) {
      c.upsert(Item.of("a", text(CLIP_A, 1, 0, 0, 0)));
      c.commit();
    }
    Path snap = dir.resolve("gen-000001/store/memory.snapshot");
    byte[] b = Files.readAllBytes(snap);
    b[b.length / 2] ^= 0x40;
    Files.write(snap, b);
    assertThatThrownBy(() -> VectorCollection.open(dir))
        .isInstanceOf(CorruptCollectionException.class)
        .hasMessageContaining("fails its CRC32 check");
  }

  @Test
  void a_staged_generation_switches_atomically_and_readers_keep_the_old_one() {
    Path dir = tmp.resolve("c");
    try (VectorCollection writer = VectorCollection.create(dir, "memory", CLIP_A)) {
      writer.upsert(Item.text("t", "a red circle", text(CLIP_A, 1, 0, 0, 0)));
      writer.commit();
    }
    try (VectorCollection old = VectorCollection.openReadOnly(dir, CLIP_A)) {
      try (VectorCollection next =
          Generations.stage(dir, VectorStores.provider("memory"), CLIP_B, Map.of())) {
        assertThat(next.isStaged()).isTrue();
        assertThat(next.generation()).isEqualTo("gen-000002");
        next.upsert(Item.text("t", "a red circle", text(CLIP_B, 0, 1, 0, 0)));
        // Before the switch a new reader still gets the old model.
        try (VectorCollection reader = VectorCollection.openReadOnly(dir, null)) {
          assertThat(reader.fingerprint()).isEqualTo(CLIP_A);
        }
        next.publish();
        assertThat(next.isStaged()).isFalse();
      }
      // The instance opened before the switch keeps serving its generation.
      assertThat(old.search(text(CLIP_A, 1, 0, 0, 0), 1)).extracting(Hit::id).containsExactly("t");
    }
    try (VectorCollection now = VectorCollection.open(dir, CLIP_B)) {
      assertThat(now.generation()).isEqualTo("gen-000002");
      assertThat(now.count()).isEqualTo(1);
    }
    assertThatThrownBy(() -> VectorCollection.open(dir, CLIP_A))
        .hasMessageContaining("fingerprint mismatch");
    assertThat(Generations.list(dir))
        .extracting(Generations.Info::name)
        .containsExactly("gen-000001", "gen-000002");
    Generations.drop(dir, "gen-000001");
    assertThatThrownBy(() -> Generations.drop(dir, "gen-000002"))
        .hasMessageContaining("is the live generation");
    assertThat(Generations.list(dir)).hasSize(1);
  }

  @Test
  void an_interrupted_stage_is_resumed_with_what_it_committed() {
    Path dir = tmp.resolve("c");
    VectorCollection.create(dir, "memory", CLIP_A).close();
    try (VectorCollection staged =
        Generations.stage(dir, VectorStores.provider("memory"), CLIP_B, Map.of())) {
      staged.upsert(Item.of("done", image(CLIP_B, 1, 0, 0, 0)));
      staged.commit();
      staged.upsert(Item.of("not-committed", image(CLIP_B, 0, 1, 0, 0)));
    } // "killed" before publish
    try (VectorCollection live = VectorCollection.open(dir)) {
      assertThat(live.fingerprint()).isEqualTo(CLIP_A);
    }
    try (VectorCollection resumed =
        Generations.stage(dir, VectorStores.provider("memory"), CLIP_B, Map.of())) {
      assertThat(resumed.generation()).isEqualTo("gen-000002");
      assertThat(resumed.get("done")).isPresent();
      assertThat(resumed.get("not-committed")).isEmpty();
      resumed.publish();
    }
    try (VectorCollection now = VectorCollection.open(dir)) {
      assertThat(now.fingerprint()).isEqualTo(CLIP_B);
    }
    assertThat(Generations.list(dir))
        .extracting(Generations.Info::current)
        .containsExactly(false, true);
  }
}
