package dev.tessera.bench;

import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.spi.Encoders;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Data set (b): seeded generated pictures (a coloured shape on a coloured background, 64×64 PNG)
 * and their captions, embedded with a CLIP model through {@link Encoders#open(Path)}. Item {@code
 * 2i} is picture {@code i}, item {@code 2i+1} its caption, so even ids are images and odd ids texts
 * as in {@link ClipLikeVectors}; queries are captions (even query index) and pictures (odd) drawn
 * from a second seeded stream.
 */
public final class GeneratedImagesAndCaptions {
  private static final String[] SHAPES = {
    "circle", "square", "triangle", "ring", "cross", "stripe"
  };
  private static final String[] COLOR_NAMES = {
    "red", "green", "blue", "yellow", "purple", "orange", "white", "black"
  };
  private static final Color[] COLORS = {
    Color.RED,
    Color.GREEN,
    Color.BLUE,
    Color.YELLOW,
    new Color(128, 0, 160),
    Color.ORANGE,
    Color.WHITE,
    Color.BLACK
  };

  private GeneratedImagesAndCaptions() {}

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
      embedStream(clip, 0, pictures, seed, dir, corpus, true);
      float[][] q = new float[queries][];
      embedStream(clip, 1, (queries + 1) / 2, seed, dir, q, false);
      return new Data(corpus, q, clip.fingerprint());
    }
  }

  private static void embedStream(
      MultiModalEncoder clip,
      int stream,
      int count,
      long seed,
      Path dir,
      float[][] out,
      boolean imageFirst)
      throws IOException {
    int batch = 64;
    for (int from = 0; from < count; from += batch) {
      int to = Math.min(count, from + batch);
      List<Path> images = new ArrayList<>();
      List<String> captions = new ArrayList<>();
      for (int i = from; i < to; i++) {
        SplittableRandom r = new SplittableRandom(seed * 31 + stream * 1_000_003L + i);
        int shape = r.nextInt(SHAPES.length);
        int fg = r.nextInt(COLORS.length);
        int bg = (fg + 1 + r.nextInt(COLORS.length - 1)) % COLORS.length;
        int size = 24 + r.nextInt(32);
        int x = r.nextInt(64 - size + 1);
        int y = r.nextInt(64 - size + 1);
        Path file = dir.resolve("s" + stream + "-" + i + ".png");
        ImageIO.write(draw(shape, COLORS[fg], COLORS[bg], x, y, size), "png", file.toFile());
        images.add(file);
        captions.add(
            "a photo of a "
                + (size > 44 ? "large " : "small ")
                + COLOR_NAMES[fg]
                + " "
                + SHAPES[shape]
                + " on a "
                + COLOR_NAMES[bg]
                + " background");
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

  private static BufferedImage draw(int shape, Color fg, Color bg, int x, int y, int size) {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(bg);
    g.fillRect(0, 0, 64, 64);
    g.setColor(fg);
    switch (shape) {
      case 0 -> g.fillOval(x, y, size, size);
      case 1 -> g.fillRect(x, y, size, size);
      case 2 ->
          g.fillPolygon(
              new int[] {x, x + size / 2, x + size}, new int[] {y + size, y, y + size}, 3);
      case 3 -> {
        g.fillOval(x, y, size, size);
        g.setColor(bg);
        g.fillOval(x + size / 4, y + size / 4, size / 2, size / 2);
      }
      case 4 -> {
        g.fillRect(x + size / 3, y, size / 3, size);
        g.fillRect(x, y + size / 3, size, size / 3);
      }
      default -> g.fillRect(x, y + size / 3, size, size / 3);
    }
    g.dispose();
    return img;
  }
}
