package dev.tessera.encoders.onnx.bench;

import dev.tessera.encoders.onnx.EncoderOptions;
import dev.tessera.encoders.onnx.ImagePreprocessor;
import dev.tessera.encoders.onnx.OnnxClipEncoder;
import dev.tessera.encoders.onnx.PreprocessorConfig;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Not a unit test: a benchmark main. (1) CLIP preprocessing of one 1024×768 JPEG (decode, bicubic
 * shortest-edge resize to 224, centre crop, normalize), Java against Pillow + NumPy in the same run
 * on the same file; (2) embedding throughput of a model per batch size, texts and images.
 *
 * <pre>
 * mvn -q -o -pl encoders-onnx test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java --add-modules jdk.incubator.vector -cp encoders-onnx/target/test-classes:encoders-onnx/target/classes:$(cat encoders-onnx/target/cp.txt) \
 *   dev.tessera.encoders.onnx.bench.PreprocessBenchmark [MODEL_DIR] [ITERATIONS]
 * </pre>
 *
 * MODEL_DIR defaults to {@code models/tiny-clip}; the Python side is {@code
 * encoders-onnx/tools/time_pil_preprocess.py}, run with {@code -Dpython=} (default {@code
 * /usr/bin/python3}).
 *
 * <p>With {@code -Dphotos=DIR} it instead times every image file of DIR (sorted by name), Java then
 * Pillow on the same file before the next file (interleaved, one process each at a time, so pin the
 * run to one core with {@code taskset -c 1} for a one-core comparison), and prints per file the
 * median milliseconds of both and their ratio, then the Tessera/Pillow time ratio of the medians
 * over the set and on the largest file (by pixels). ITERATIONS is per file there.
 */
public final class PreprocessBenchmark {
  private PreprocessBenchmark() {}

  /** Runs both measurements and prints one line per result. */
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "models/tiny-clip");
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path jpeg = Path.of(System.getProperty("java.io.tmpdir"), "tessera-bench-1024x768.jpg");
    writeTestJpeg(jpeg);
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, %s %s, java %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"));

    String photos = System.getProperty("photos");
    if (photos != null) {
      comparePhotos(Path.of(photos), args.length > 1 ? iterations : 10);
      return;
    }

    // ---- (1) preprocessing, one thread, same settings as CLIP ViT-B/32 (224 / 224)
    ImagePreprocessor pre = new ImagePreprocessor(PreprocessorConfig.clipDefaults(224));
    float sink = 0;
    for (int i = 0; i < Math.max(20, iterations / 2); i++)
      sink += pre.preprocess(jpeg).data()[i % 100]; // JIT warm-up
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      long t = System.nanoTime();
      sink += pre.preprocess(jpeg).data()[i % 100];
      ms.add((System.nanoTime() - t) / 1e6);
    }
    System.out.printf(
        Locale.ROOT,
        "java ms_per_image=%.3f min_ms=%.3f iterations=%d (1024x768 JPEG -> 3x224x224, sink"
            + " %.1f)%n",
        mean(ms),
        Collections.min(ms),
        iterations,
        sink);
    String python = System.getProperty("python", "/usr/bin/python3");
    Path script = locate("encoders-onnx/tools/time_pil_preprocess.py");
    if (script != null) {
      Process p =
          new ProcessBuilder(
                  python, script.toString(), jpeg.toString(), Integer.toString(iterations))
              .redirectErrorStream(true)
              .start();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) System.out.println(line);
      }
      System.out.println("python exit " + p.waitFor());
    } else {
      System.out.println(
          "pil: skipped (encoders-onnx/tools/time_pil_preprocess.py not found from "
              + Path.of("").toAbsolutePath()
              + ")");
    }

    // ---- (2) embedding throughput per batch size
    if (!Files.isDirectory(model)) {
      System.out.println("throughput: skipped, no model at " + model.toAbsolutePath());
      return;
    }
    Path smallPng = Path.of(System.getProperty("java.io.tmpdir"), "tessera-bench-64x64.png");
    BufferedImage tile = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++)
      for (int x = 0; x < 64; x++) tile.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | 128);
    ImageIO.write(tile, "png", smallPng.toFile());
    for (int batch : new int[] {1, 8, 32, 64}) {
      try (OnnxClipEncoder enc =
          OnnxClipEncoder.open(
              model, EncoderOptions.parse(Map.of("batch_size", Integer.toString(batch))))) {
        List<String> texts = new ArrayList<>();
        Random rnd = new Random(42);
        String[] words = {
          "a",
          "photo",
          "of",
          "red",
          "blue",
          "green",
          "small",
          "big",
          "circle",
          "square",
          "triangle",
          "on",
          "white"
        };
        for (int i = 0; i < 256; i++) {
          StringBuilder s = new StringBuilder();
          for (int w = 0; w < 3 + rnd.nextInt(8); w++)
            s.append(words[rnd.nextInt(words.length)]).append(' ');
          texts.add(s.toString().strip());
        }
        List<Path> images = Collections.nCopies(128, jpeg);
        List<Path> small = Collections.nCopies(256, smallPng);
        enc.embedTexts(texts.subList(0, 64)); // warm-up
        enc.embedImages(images.subList(0, 16));
        enc.embedImages(small.subList(0, 64));
        long t = System.nanoTime();
        enc.embedTexts(texts);
        double textPerSec = texts.size() / ((System.nanoTime() - t) / 1e9);
        t = System.nanoTime();
        enc.embedImages(images);
        double imagePerSec = images.size() / ((System.nanoTime() - t) / 1e9);
        t = System.nanoTime();
        enc.embedImages(small);
        double smallPerSec = small.size() / ((System.nanoTime() - t) / 1e9);
        System.out.printf(
            Locale.ROOT,
            "throughput model=%s layout=%s batch=%d texts_per_s=%.1f images_per_s(1024x768"
                + " jpeg)=%.1f images_per_s(64x64 png)=%.1f%n",
            model.getFileName(),
            enc.layout().kind(),
            batch,
            textPerSec,
            imagePerSec,
            smallPerSec);
      }
    }
  }

  /** Java against Pillow on each image of {@code dir}, interleaved file by file. */
  private static void comparePhotos(Path dir, int iterations) throws Exception {
    List<Path> files = new ArrayList<>();
    try (var s = Files.list(dir)) {
      s.filter(f -> f.getFileName().toString().matches("(?i).*\\.(jpe?g|png|webp|bmp|gif)"))
          .sorted()
          .forEach(files::add);
    }
    Path script = locate("encoders-onnx/tools/time_pil_preprocess.py");
    if (script == null) throw new IllegalStateException("time_pil_preprocess.py not found");
    String python = System.getProperty("python", "/usr/bin/python3");
    ImagePreprocessor pre = new ImagePreprocessor(PreprocessorConfig.clipDefaults(224));
    List<Double> javaMs = new ArrayList<>();
    List<Double> pilMs = new ArrayList<>();
    long largestPixels = -1;
    int largest = -1;
    float sink = 0;
    for (Path f : files) {
      var img = pre.decoder().decode(f);
      long pixels = (long) img.width() * img.height();
      for (int i = 0; i < Math.max(3, iterations / 3); i++)
        sink += pre.preprocess(f).data()[i]; // warm-up
      List<Double> ms = new ArrayList<>();
      for (int i = 0; i < iterations; i++) {
        long t = System.nanoTime();
        sink += pre.preprocess(f).data()[i % 100];
        ms.add((System.nanoTime() - t) / 1e6);
      }
      double java = median(ms);
      Process p =
          new ProcessBuilder(python, script.toString(), f.toString(), Integer.toString(iterations))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0 || !out.contains("median_ms=")) {
        throw new IllegalStateException("python failed on " + f + ": " + out);
      }
      String m = out.substring(out.indexOf("median_ms=") + 10);
      double pil = Double.parseDouble(m.substring(0, m.indexOf(' ')));
      javaMs.add(java);
      pilMs.add(pil);
      if (pixels > largestPixels) {
        largestPixels = pixels;
        largest = javaMs.size() - 1;
      }
      System.out.printf(
          Locale.ROOT,
          "photo %s %dx%d java_median_ms=%.2f pil_median_ms=%.2f tessera/pil=%.3f%n",
          f.getFileName(),
          img.width(),
          img.height(),
          java,
          pil,
          java / pil);
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < javaMs.size(); i++) ratios.add(javaMs.get(i) / pilMs.get(i));
    System.out.printf(
        Locale.ROOT,
        "photos=%d iterations=%d median_java_ms=%.2f median_pil_ms=%.2f"
            + " tessera/pil(of medians)=%.3f median(tessera/pil)=%.3f"
            + " largest(%s)=%.3f (java %.2f ms, pil %.2f ms) sink %.1f%n",
        files.size(),
        iterations,
        median(javaMs),
        median(pilMs),
        median(javaMs) / median(pilMs),
        median(ratios),
        files.get(largest).getFileName(),
        ratios.get(largest),
        javaMs.get(largest),
        pilMs.get(largest),
        sink);
  }

  private static double median(List<Double> v) {
    List<Double> c = new ArrayList<>(v);
    Collections.sort(c);
    int n = c.size();
    return n % 2 == 1 ? c.get(n / 2) : (c.get(n / 2 - 1) + c.get(n / 2)) / 2;
  }

  private static Path locate(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) return dir.resolve(relative);
      if (Files.isRegularFile(dir.resolve(relative.substring(relative.indexOf('/') + 1)))) {
        return dir.resolve(relative.substring(relative.indexOf('/') + 1));
      }
    }
    return null;
  }

  private static double mean(List<Double> v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.size();
  }

  /** A photo-like 1024×768 JPEG (gradients, discs, noise; seed 7), quality 0.9. */
  static void writeTestJpeg(Path file) throws IOException {
    if (Files.isRegularFile(file)) return;
    BufferedImage img = new BufferedImage(1024, 768, BufferedImage.TYPE_INT_RGB);
    Random rnd = new Random(7);
    for (int y = 0; y < 768; y++) {
      for (int x = 0; x < 1024; x++) {
        int r = (x * 255 / 1023 + rnd.nextInt(16)) & 0xff;
        int g = (y * 255 / 767 + rnd.nextInt(16)) & 0xff;
        int b = ((x + y) / 7 + rnd.nextInt(16)) & 0xff;
        double d = Math.hypot(x - 512, y - 384);
        if (d < 200) {
          r = 230;
          g = 40 + (int) (d / 4);
        }
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam p = w.getDefaultWriteParam();
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality(0.9f);
    Path tmp = Files.createTempFile(file.getParent(), "bench", ".jpg");
    try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
      w.setOutput(out);
      w.write(null, new IIOImage(img, null, null), p);
    } finally {
      w.dispose();
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
