package dev.tessera.bench.mixed;

import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.spi.Encoders;
import dev.tessera.synthetic.SceneGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Data set A: captioned pictures of the small CLIP's synthetic world (a filled shape of one colour
 * on a plain background, drawn by the rules of {@code tools/tiny-clip/make_tiny_clip.py} as the CLI
 * demo's generator draws them), embedded with the model through {@link Encoders#open(Path)}.
 *
 * <p>The pictures are held out: they come from Java's {@link SplittableRandom} seeded with the
 * harness seed, not from the training script's Python {@code random.Random(20240611 + 1)}, at
 * positions and canvas sizes drawn afresh and without the training set's colour jitter. Only the
 * scene descriptions repeat (the world has 384 of them), so captions repeat too. A pair's class is
 * its scene (shape, colour, background, size); its caption is the training set's full template.
 */
public final class TinyClipScenes {
  private static final List<String> SHAPES = SceneGenerator.SHAPES;
  private static final List<String> COLOURS = List.copyOf(SceneGenerator.COLOURS.keySet());
  private static final List<String> BACKGROUNDS = List.copyOf(SceneGenerator.BACKGROUNDS.keySet());
  private static final List<String> SIZES = List.of("small", "large");

  private TinyClipScenes() {}

  /**
   * Draws {@code pairs} pictures into {@code dir} with the one scene generator ({@link
   * SceneGenerator}) and embeds them and their captions.
   */
  public static MixedData embed(Path model, int pairs, long seed, Path dir) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom r = new SplittableRandom(seed);
    List<Path> files = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    int[] classes = new int[pairs];
    for (int i = 0; i < pairs; i++) {
      int shape = r.nextInt(SHAPES.size());
      int colour = r.nextInt(COLOURS.size());
      int bg = r.nextInt(BACKGROUNDS.size());
      int size = r.nextInt(SIZES.size());
      double u = r.nextDouble();
      double v = r.nextDouble();
      int w = 80 + 8 * r.nextInt(7);
      int h = 80 + 8 * r.nextInt(7);
      classes[i] = ((shape * COLOURS.size() + colour) * BACKGROUNDS.size() + bg) * 2 + size;
      SceneGenerator.Scene scene =
          new SceneGenerator.Scene(
              SHAPES.get(shape), COLOURS.get(colour), BACKGROUNDS.get(bg), SIZES.get(size), u, v);
      Path file = dir.resolve(String.format("%05d.png", i));
      ImageIO.write(SceneGenerator.draw(scene, w, h), "png", file.toFile());
      files.add(file);
      captions.add(scene.caption());
    }
    try (MultiModalEncoder clip = Encoders.open(model)) {
      float[][] images = new float[pairs][];
      float[][] texts = new float[pairs][];
      int batch = 64;
      for (int from = 0; from < pairs; from += batch) {
        int to = Math.min(pairs, from + batch);
        List<EmbeddingResult> im = clip.embedImages(files.subList(from, to));
        var tx = clip.embedTexts(captions.subList(from, to));
        for (int i = from; i < to; i++) {
          images[i] = im.get(i - from).orThrow().vector();
          texts[i] = tx.get(i - from).vector();
        }
      }
      return new MixedData("tiny-clip", clip.fingerprint(), images, texts, classes);
    }
  }
}
