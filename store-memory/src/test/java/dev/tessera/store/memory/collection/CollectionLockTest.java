package dev.tessera.store.memory.collection;

import static dev.tessera.store.memory.collection.VectorCollectionTest.CLIP_A;
import static dev.tessera.store.memory.collection.VectorCollectionTest.CLIP_B;
import static dev.tessera.store.memory.collection.VectorCollectionTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.Item;
import dev.tessera.api.TesseraException;
import dev.tessera.api.collection.Generations;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.VectorStores;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per collection, in this process and across processes; readers beside it. */
class CollectionLockTest {
  @TempDir Path tmp;

  private Path collection() {
    Path dir = tmp.resolve("c.tessera");
    try (VectorCollection c = VectorCollection.create(dir, "memory", CLIP_A)) {
      c.upsert(Item.text("t", "a red circle", text(CLIP_A, 1, 0, 0, 0)));
      c.commit();
    }
    return dir;
  }

  @Test
  void should_refuse_a_second_writable_open_in_the_same_process_naming_the_directory() {
    Path dir = collection();
    try (VectorCollection writer = VectorCollection.open(dir, CLIP_A)) {
      for (Runnable second :
          new Runnable[] {
            () -> VectorCollection.open(dir),
            () -> VectorCollection.openOrCreate(dir, "memory", CLIP_A),
            () -> Generations.stage(dir, VectorStores.provider("memory"), CLIP_B, Map.of()),
            () -> Generations.drop(dir, "gen-000001")
          }) {
        assertThatThrownBy(second::run)
            .isInstanceOf(TesseraException.class)
            .hasMessageContaining(
                "The collection in " + dir + " is already open for writing in this process")
            .hasMessageContaining("close the other writer first, or open this one read-only");
      }
      writer.upsert(Item.text("u", "a blue star", text(CLIP_A, 0, 1, 0, 0)));
      writer.commit();
    }
    try (VectorCollection again = VectorCollection.open(dir, CLIP_A)) {
      assertThat(again.count()).as("the lock is released on close").isEqualTo(2);
    }
  }

  @Test
  void should_let_read_only_handles_work_beside_the_writer() {
    Path dir = collection();
    try (VectorCollection writer = VectorCollection.open(dir, CLIP_A);
        VectorCollection reader = VectorCollection.openReadOnly(dir, CLIP_A)) {
      assertThat(reader.isReadOnly()).isTrue();
      assertThat(reader.count()).isEqualTo(1);
      assertThat(writer.count()).isEqualTo(1);
      assertThatThrownBy(() -> reader.upsert(Item.of("x", text(CLIP_A, 0, 0, 1, 0))))
          .hasMessageContaining("was opened read-only");
    }
  }

  @Test
  void should_refuse_a_writer_while_another_process_holds_the_lock_and_free_it_after_kill_9()
      throws Exception {
    Path dir = collection();
    Process holder = LockHolder.start(dir);
    try {
      assertThatThrownBy(() -> VectorCollection.open(dir, CLIP_A))
          .isInstanceOf(TesseraException.class)
          .hasMessageContaining(
              "is already open for writing by another process (pid=" + holder.pid());
      try (VectorCollection reader = VectorCollection.openReadOnly(dir, CLIP_A)) {
        assertThat(reader.count())
            .as("a reader works beside another process's writer")
            .isEqualTo(1);
      }
    } finally {
      holder.destroyForcibly(); // SIGKILL: the process gets no chance to release anything
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (VectorCollection writer = VectorCollection.open(dir, CLIP_A)) {
      writer.upsert(Item.text("after", "a green ring", text(CLIP_A, 0, 0, 0, 1)));
      writer.commit();
      assertThat(writer.count()).isEqualTo(2);
    }
  }
}
