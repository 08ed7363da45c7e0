package dev.tessera.encoders.onnx;

import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.TesseraException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Embeds images with decoding overlapped with inference: worker threads decode and preprocess the
 * images ahead (in input order, at most two inference batches ahead, so memory stays bounded) while
 * the calling thread runs the vision tower on each batch as soon as all its images are ready.
 *
 * <p>The results are exactly those of {@link OnnxClipEncoder#embedImages} (same batches, same
 * tensors), in input order, one per image: an image that cannot be read becomes a failed {@link
 * EmbeddingResult} whose error names the file and what is wrong, and the others are still embedded
 * (never fail-fast, as {@code embedImages} promises). An interrupt of the calling thread does not
 * abandon the call (the indexer stops between batches); the interrupt flag is kept.
 */
public final class ImageEmbeddingPipeline {
  private final OnnxClipEncoder encoder;
  private final int decodeThreads;

  /**
   * A pipeline over {@code encoder} with {@code decodeThreads} decoding threads (at least 1; the
   * encoder's {@code embedImages} uses one per core).
   */
  public ImageEmbeddingPipeline(OnnxClipEncoder encoder, int decodeThreads) {
    if (decodeThreads < 1) {
      throw new IllegalArgumentException("decodeThreads must be at least 1, got " + decodeThreads);
    }
    this.encoder = encoder;
    this.decodeThreads = decodeThreads;
  }

  /** The number of decoding threads. */
  public int decodeThreads() {
    return decodeThreads;
  }

  /** One result per image, in the order of {@code images}; see the class comment. */
  public List<EmbeddingResult> embed(List<Path> images) {
    int n = images.size();
    EmbeddingResult[] results = new EmbeddingResult[n];
    encoder.checkOpen();
    if (n == 0) return Arrays.asList(results);
    int batch = encoder.imageBatchSize();
    ImagePreprocessor.Tensor[] tensors = new ImagePreprocessor.Tensor[n];
    Throwable[] fatal = new Throwable[n];
    // Workers claim images in input order, each after taking a permit: the images decoded and not
    // yet embedded are a run of at most two batches starting at the batch being waited for, so
    // that batch always gets its permits (no deadlock) and memory is bounded.
    Semaphore window = new Semaphore(2 * batch);
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    BlockingQueue<Integer> ready = new ArrayBlockingQueue<>(2 * batch + decodeThreads);
    int threads = Math.min(decodeThreads, n);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().name("tessera-decode-", 0).daemon().factory());
    boolean interrupted = false;
    try {
      for (int t = 0; t < threads; t++) {
        pool.execute(
            () -> {
              while (!stop.get()) {
                window.acquireUninterruptibly();
                int i = next.getAndIncrement();
                if (i >= n || stop.get()) return;
                try {
                  tensors[i] = encoder.preprocessor().preprocess(images.get(i));
                } catch (TesseraException e) {
                  results[i] = EmbeddingResult.failure(String.valueOf(images.get(i)), e);
                } catch (RuntimeException e) {
                  results[i] = OnnxClipEncoder.unreadable(images.get(i), e);
                } catch (Throwable e) { // OutOfMemoryError and the like: the caller rethrows it
                  fatal[i] = e;
                }
                ready.add(i); // never full: at most 2 * batch images hold permits
              }
            });
      }
      boolean[] arrived = new boolean[n];
      for (int from = 0; from < n; from += batch) {
        int to = Math.min(n, from + batch);
        int missing = 0;
        for (int i = from; i < to; i++) if (!arrived[i]) missing++;
        while (missing > 0) {
          int i;
          try {
            i = ready.take();
          } catch (InterruptedException e) {
            interrupted = true;
            continue;
          }
          arrived[i] = true;
          if (i >= from && i < to) missing--;
        }
        for (int i = from; i < to; i++) {
          if (fatal[i] != null)
            throw new TesseraException(
                "Preprocessing " + images.get(i) + " failed: " + fatal[i], fatal[i]);
        }
        encoder.embedPrepared(images, from, to, tensors, results);
        for (int i = from; i < to; i++) tensors[i] = null; // let the pixels go
        window.release(to - from);
      }
      return Arrays.asList(results);
    } finally {
      stop.set(true);
      window.release(decodeThreads); // wakes workers waiting for a permit so they see stop
      pool.shutdown();
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
