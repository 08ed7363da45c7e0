package dev.tessera.cli;

import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.FingerprintDigest;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Similarity;
import dev.tessera.api.TesseraException;
import dev.tessera.api.spi.EncoderProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A deterministic test "model": a bag of hashed words. Texts embed their words; images embed the
 * words of their file name (so {@code 003-red-circle.png} is near "a red circle"). Opens
 * directories holding {@code fake-model.properties} ({@code seed}, optional {@code announce=true}
 * to print one line per batch on stderr so subprocess tests know how far a run got, and {@code
 * delayMillis} per batch).
 */
public final class FakeEncoderProvider implements EncoderProvider {
  static final String MARKER = "fake-model.properties";
  static final int DIM = 32;

  /** For ServiceLoader. */
  public FakeEncoderProvider() {}

  /** Writes a fake model directory. */
  static Path write(Path dir, String seed, boolean announce) throws IOException {
    return write(dir, seed, announce, 0);
  }

  /**
   * Writes a fake model directory whose model takes {@code delayMillis} per batch, like a slow real
   * one.
   */
  static Path write(Path dir, String seed, boolean announce, int delayMillis) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(MARKER),
        "seed=" + seed + "\nannounce=" + announce + "\ndelayMillis=" + delayMillis + "\n");
    return dir;
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public String description() {
    return "bag-of-words test encoder";
  }

  @Override
  public boolean canOpen(Path modelDirectory) {
    return Files.isRegularFile(modelDirectory.resolve(MARKER));
  }

  @Override
  public MultiModalEncoder open(Path dir, Map<String, String> options) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(dir.resolve(MARKER))) {
      p.load(in);
    }
    String seed = p.getProperty("seed");
    boolean announce = Boolean.parseBoolean(p.getProperty("announce", "false"));
    long delay = Long.parseLong(p.getProperty("delayMillis", "0"));
    ModelFingerprint fp =
        ModelFingerprint.of(
            "fake/bag-of-words-" + seed,
            DIM,
            Similarity.COSINE,
            true,
            FingerprintDigest.create().field("seed", seed).hex());
    return new MultiModalEncoder() {
      @Override
      public ModelFingerprint fingerprint() {
        return fp;
      }

      @Override
      public List<Embedding> embedTexts(List<String> texts) {
        slow(delay);
        if (announce) System.err.println("fake-encoder: embedded " + texts.size() + " texts");
        return texts.stream().map(t -> Embedding.text(vector(seed, t), fp)).toList();
      }

      @Override
      public List<EmbeddingResult> embedImages(List<Path> images) {
        List<EmbeddingResult> out = new ArrayList<>();
        for (Path i : images) {
          try {
            byte[] b = Files.readAllBytes(i);
            // like a real decoder, which is the only reader of an image's bytes during an index
            if (b.length < 4
                || (b[0] & 0xff) != 0x89
                || b[1] != 'P'
                || b[2] != 'N'
                || b[3] != 'G') {
              out.add(
                  EmbeddingResult.failure(
                      i.toString(),
                      new TesseraException(
                          "File " + i + " is not an image in a format Tessera reads (PNG).")));
              continue;
            }
            if (b.length < 8) throw new IOException("truncated");
            String words =
                i.getFileName()
                    .toString()
                    .replaceAll("\\.[a-z]+$", "")
                    .replaceAll("[^A-Za-z]+", " ");
            out.add(
                EmbeddingResult.success(i.toString(), Embedding.image(vector(seed, words), fp)));
          } catch (IOException e) {
            out.add(
                EmbeddingResult.failure(
                    i.toString(),
                    new TesseraException("Image " + i + " can not be read: " + e.getMessage())));
          }
        }
        if (announce) System.err.println("fake-encoder: embedded " + images.size() + " images");
        return out;
      }

      @Override
      public void close() {}
    };
  }

  private static void slow(long millis) {
    if (millis <= 0) return;
    try {
      Thread.sleep(
          millis); // simulates a model's compute time, so a test can act in the middle of a run
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static float[] vector(String seed, String text) {
    float[] v = new float[DIM];
    v[0] = 0.05f;
    for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (w.isEmpty() || w.equals("a") || w.equals("an") || w.equals("the") || w.equals("on"))
        continue;
      int h = (seed + ":" + w).hashCode();
      v[Math.floorMod(h, DIM)] += 1f;
      v[Math.floorMod(h >>> 7, DIM)] += 0.5f;
    }
    double s = 0;
    for (float x : v) s += x * x;
    for (int i = 0; i < DIM; i++) v[i] /= (float) Math.sqrt(s);
    return v;
  }
}
