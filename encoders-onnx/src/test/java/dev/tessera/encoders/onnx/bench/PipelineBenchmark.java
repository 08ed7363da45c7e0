package dev.tessera.encoders.onnx.bench;

import dev.tessera.api.EmbeddingResult;
import dev.tessera.encoders.onnx.EncoderOptions;
import dev.tessera.encoders.onnx.ImageEmbeddingPipeline;
import dev.tessera.encoders.onnx.OnnxClipEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a unit test: a benchmark main. Images per second of {@link ImageEmbeddingPipeline} on a
 * folder of photos (each file {@code copies} times, in turn), per number of decoding threads, next
 * to preprocessing alone on one thread (what the pipeline hides inference behind).
 *
 * <pre>
 * taskset -c 1 java --add-modules jdk.incubator.vector -cp ... \
 *   dev.tessera.encoders.onnx.bench.PipelineBenchmark models/tiny-clip \
 *   encoders-onnx/src/test/resources/bench/photos 1,2 [INTRA_OP_THREADS] [COPIES] [ROUNDS]
 * </pre>
 *
 * The encoder runs with {@code batch_size=32} and {@code intra_op_threads} as given (default 1);
 * pin the JVM with {@code taskset} to the cores the measurement is about.
 */
public final class PipelineBenchmark {
  private PipelineBenchmark() {}

  /** Prints one line per decoding-thread count, and one for preprocessing alone. */
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    Path dir = Path.of(args[1]);
    String[] threadCounts = (args.length > 2 ? args[2] : "1,2").split(",");
    String intraOp = args.length > 3 ? args[3] : "1";
    int copies = args.length > 4 ? Integer.parseInt(args[4]) : 16; // 9 photos x 16 = 144 images
    int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 3; // median of these, after warm-up
    List<Path> photos;
    try (var s = Files.list(dir)) {
      photos = s.filter(p -> p.toString().matches("(?i).*\\.(png|jpe?g)")).sorted().toList();
    }
    List<Path> images = new ArrayList<>();
    for (int c = 0; c < copies; c++) images.addAll(photos);
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores visible, java %s; %d images (%d photos x %d), batch_size 32,"
            + " intra_op_threads %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        images.size(),
        photos.size(),
        copies,
        intraOp);
    try (OnnxClipEncoder enc =
        OnnxClipEncoder.open(
            model, EncoderOptions.parse(Map.of("batch_size", "32", "intra_op_threads", intraOp)))) {
      // Preprocessing alone, on this thread: the floor of a pipeline with one decoding thread.
      double[] pre = new double[rounds];
      for (int r = -1; r < rounds; r++) {
        long t = System.nanoTime();
        for (Path p : images) enc.preprocessor().preprocess(p);
        if (r >= 0) pre[r] = images.size() / ((System.nanoTime() - t) / 1e9);
      }
      System.out.printf(Locale.ROOT, "preprocess only, 1 thread: images_per_s=%.1f%n", median(pre));
      for (String tc : threadCounts) {
        ImageEmbeddingPipeline pipeline = new ImageEmbeddingPipeline(enc, Integer.parseInt(tc));
        double[] rate = new double[rounds];
        for (int r = -1; r < rounds; r++) { // round -1 warms up the JIT and ONNX Runtime
          long t = System.nanoTime();
          List<EmbeddingResult> out = pipeline.embed(images);
          double s = (System.nanoTime() - t) / 1e9;
          if (out.stream().anyMatch(e -> !e.isSuccess())) {
            throw new IllegalStateException("an image failed: " + out);
          }
          if (r >= 0) rate[r] = images.size() / s;
        }
        System.out.printf(
            Locale.ROOT,
            "pipeline decode_threads=%s: images_per_s=%.1f (rounds %s)%n",
            tc,
            median(rate),
            java.util.Arrays.toString(rate));
      }
    }
  }

  private static double median(double[] v) {
    List<Double> c = new ArrayList<>();
    for (double x : v) c.add(x);
    Collections.sort(c);
    int n = c.size();
    return n % 2 == 1 ? c.get(n / 2) : (c.get(n / 2 - 1) + c.get(n / 2)) / 2;
  }
}
