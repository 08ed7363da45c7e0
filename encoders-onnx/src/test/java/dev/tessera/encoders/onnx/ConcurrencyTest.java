package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.ClosedException;
import dev.tessera.api.Embedding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One encoder shared by many threads, and closed while they are still embedding. */
class ConcurrencyTest {

  @Test
  void should_give_every_thread_the_same_vectors_as_a_single_caller() throws Exception {
    Path image = Fixtures.layouts().resolve("image.png");
    try (OnnxClipEncoder enc =
        OnnxClipEncoder.open(
            Fixtures.layouts().resolve("split"), EncoderOptions.parse(Map.of("batch_size", "3")))) {
      List<String> texts =
          List.of("a red cat", "blue square", "the small dog", "green circle", "", "big");
      List<Embedding> expectedTexts = enc.embedTexts(texts);
      Embedding expectedImage = enc.embedImage(image);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<Boolean>> all = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
          all.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 20; i++) {
                      if (!enc.embedTexts(texts).equals(expectedTexts)) return false;
                      if (!enc.embedImage(image).equals(expectedImage)) return false;
                    }
                    return true;
                  }));
        }
        for (Future<Boolean> f : all) assertThat(f.get(2, TimeUnit.MINUTES)).isTrue();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void should_close_while_others_embed_without_crashing_and_refuse_afterwards() throws Exception {
    Path image = Fixtures.layouts().resolve("image.png");
    OnnxClipEncoder enc =
        OnnxClipEncoder.open(
            Fixtures.layouts().resolve("combined"),
            EncoderOptions.parse(Map.of("batch_size", "2")));
    int threads = 4;
    CountDownLatch embedding = new CountDownLatch(threads);
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Throwable> unexpected = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        all.add(
            pool.submit(
                () -> {
                  boolean counted = false;
                  while (true) {
                    try {
                      if (id % 2 == 0) {
                        enc.embedTexts(List.of("a cat", "a dog", "red", "blue", "green"));
                      } else {
                        enc.embedImages(List.of(image, image, image));
                      }
                      succeeded.incrementAndGet();
                    } catch (ClosedException e) {
                      refused.incrementAndGet();
                      return null;
                    } catch (Throwable e) {
                      synchronized (unexpected) {
                        unexpected.add(e);
                      }
                      return null;
                    } finally {
                      if (!counted) {
                        counted = true;
                        embedding.countDown();
                      }
                    }
                  }
                }));
      }
      assertThat(embedding.await(2, TimeUnit.MINUTES))
          .isTrue(); // every thread has embedded (or is about to loop again)
      enc.close();
      for (Future<?> f : all) f.get(2, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    assertThat(unexpected).isEmpty();
    assertThat(succeeded.get()).isGreaterThanOrEqualTo(threads);
    assertThat(refused.get()).isEqualTo(threads);
    enc.close(); // twice is harmless
    assertThatThrownBy(() -> enc.embedText("late"))
        .isInstanceOf(ClosedException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(() -> enc.embedImages(List.of(image))).isInstanceOf(ClosedException.class);
  }

  @Test
  void should_split_large_batches_and_keep_the_order() throws IOException {
    try (OnnxClipEncoder one =
            OnnxClipEncoder.open(
                Fixtures.layouts().resolve("split"),
                EncoderOptions.parse(Map.of("batch_size", "1")));
        OnnxClipEncoder many =
            OnnxClipEncoder.open(
                Fixtures.layouts().resolve("split"),
                EncoderOptions.parse(Map.of("batch_size", "4", "intra_op_threads", "1")))) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 11; i++)
        texts.add((i % 2 == 0 ? "red cat " : "blue dog ").repeat(i % 4 + 1));
      List<Embedding> a = one.embedTexts(texts);
      List<Embedding> b = many.embedTexts(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(Fixtures.cosine(a.get(i).vector(), b.get(i).vector()))
            .as("text %d", i)
            .isGreaterThan(0.99999);
      }
      assertThat(one.fingerprint())
          .isEqualTo(many.fingerprint()); // batching does not change the numbers
    }
  }
}
