package dev.tessera.bench;

import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.spi.Encoders;
import dev.tessera.synthetic.ClipLikeVectors;
import dev.tessera.synthetic.SceneGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Data set (b): the scenes the project's small CLIP was trained on ({@link SceneGenerator}: a
 * filled shape on a plain background, PNG) and their captions, embedded with a CLIP model through
 * {@link Encoders#open(Path)}. Item {@code 2i} is picture {@code i}, item {@code 2i+1} its caption,
 * so even ids are images and odd ids texts as in {@link ClipLikeVectors#modalityOf}; queries are
 * captions (even query index) and pictures (odd) of a second seeded set of scenes.
 */
public final class EmbeddedScenes {
  /** Pictures embedded per encoder call. */
  private static final int BATCH = 64;

  private EmbeddedScenes() {}

  /** The embedded corpus and queries and the model's fingerprint. */
  public record Data(float[][] corpus, float[][] queries, ModelFingerprint fingerprint) {}

  /**
   * Draws {@code pictures} pictures (2× that many items) and {@code queries} queries into {@code
   * dir}, and embeds them.
   */
  public static Data embed(Path model, int pictures, int queries, long seed, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    try (MultiModalEncoder clip = Encoders.open(model)) {
      float[][] corpus = new float[2 * pictures][];
      embed(clip, SceneGenerator.pictures(seed, pictures), "c", dir, corpus, true);
      float[][] q = new float[queries][];
      List<SceneGenerator.Picture> qs = SceneGenerator.pictures(seed + 1, (queries + 1) / 2);
      embed(clip, qs, "q", dir, q, false);
      return new Data(corpus, q, clip.fingerprint());
    }
  }

  private static void embed(
      MultiModalEncoder clip,
      List<SceneGenerator.Picture> scenes,
      String prefix,
      Path dir,
      float[][] out,
      boolean imageFirst)
      throws IOException {
    for (int from = 0; from < scenes.size(); from += BATCH) {
      int to = Math.min(scenes.size(), from + BATCH);
      List<Path> images = new ArrayList<>();
      List<String> captions = new ArrayList<>();
      for (int i = from; i < to; i++) {
        SceneGenerator.Picture p = scenes.get(i);
        Path file = dir.resolve(prefix + "-" + i + ".png");
        ImageIO.write(p.draw(), "png", file.toFile());
        images.add(file);
        captions.add(p.scene().caption());
      }
      List<EmbeddingResult> imgs = clip.embedImages(images);
      List<Embedding> txts = clip.embedTexts(captions);
      for (int i = from; i < to; i++) {
        int imageSlot = imageFirst ? 2 * i : 2 * i + 1;
        int textSlot = imageFirst ? 2 * i + 1 : 2 * i;
        if (imageSlot < out.length) out[imageSlot] = imgs.get(i - from).orThrow().vector();
        if (textSlot < out.length) out[textSlot] = txts.get(i - from).vector();
      }
    }
  }
}
