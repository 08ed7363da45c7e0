package dev.tessera.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.collection.VectorCollection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full file system under a lucene collection: a 3 MB tmpfs mounted by the test (root only;
 * {@link LuceneDiskFullTest} covers the same failures at every point with a fault-injecting
 * Directory, as any user). Every commit that returned is there after the space is freed.
 */
class LuceneCollectionDiskFullTest {
  @TempDir Path tmp;

  private static final int BATCH = 200;

  @Test
  void a_full_disk_gives_the_documented_exception_and_keeps_every_committed_record()
      throws Exception {
    assumeTrue(
        root(), "mounting a tmpfs needs root; LuceneDiskFullTest covers disk full without it");
    Path mnt = Files.createDirectories(tmp.resolve("small-fs"));
    run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt.toString());
    try {
      Path dir = mnt.resolve("c.tessera");
      ModelFingerprint fp = TestData.fingerprint(64, Similarity.COSINE, true);
      TestData data = new TestData(7, 64, 8, 0.3, true);
      List<String> committed = new ArrayList<>();
      RuntimeException failure = null;
      try (VectorCollection c = VectorCollection.create(dir, "lucene", fp)) {
        for (int b = 0; b < 2_000 && failure == null; b++) {
          List<Item> batch = data.items("b" + b + "-", BATCH, fp);
          try {
            c.upsert(batch);
            c.commit();
            batch.forEach(i -> committed.add(i.id()));
          } catch (RuntimeException e) {
            failure = e;
          }
        }
      } catch (RuntimeException closing) {
        // closing a store whose writer hit the full disk may fail too; what counts is below
      }
      assertThat(failure).as("the 3 MB file system filled up").isNotNull();
      assertThat(failure)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("The disk is full");
      assertThat(committed).as("some batches were committed before").isNotEmpty();

      run("mount", "-o", "remount,size=64m", mnt.toString()); // space freed
      try (VectorCollection c = VectorCollection.open(dir, fp)) {
        assertThat(c.count()).as("exactly the committed records").isEqualTo(committed.size());
        for (String id : committed) assertThat(c.get(id)).as(id).isPresent();
        c.upsert(data.items("after-", BATCH, fp));
        c.commit();
        assertThat(c.count()).isEqualTo(committed.size() + BATCH);
      }
    } finally {
      run("umount", "-l", mnt.toString());
    }
  }

  private static boolean root() throws IOException {
    return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
  }
}
