package dev.tessera.bench.mixed;

import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.spi.Encoders;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.image.BufferedImage;
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
  static final String[] SHAPES = {
    "circle", "square", "triangle", "star", "cross", "ring", "diamond", "hexagon"
  };
  static final String[] COLOURS = {
    "red", "green", "blue", "yellow", "orange", "purple", "pink", "cyan"
  };
  private static final Color[] RGB = {
    new Color(220, 30, 30),
    new Color(30, 160, 50),
    new Color(30, 70, 220),
    new Color(240, 210, 30),
    new Color(245, 130, 20),
    new Color(130, 50, 180),
    new Color(240, 120, 190),
    new Color(30, 200, 210)
  };
  static final String[] BACKGROUNDS = {"white", "black", "gray"};
  private static final Color[] BG_RGB = {Color.WHITE, Color.BLACK, new Color(128, 128, 128)};
  static final String[] SIZES = {"small", "large"};
  private static final double[] RADIUS = {0.16, 0.30};
  private static final double SAFE = 0.86;

  private TinyClipScenes() {}

  /** Draws {@code pairs} pictures into {@code dir} and embeds them and their captions. */
  public static MixedData embed(Path model, int pairs, long seed, Path dir) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom r = new SplittableRandom(seed);
    List<Path> files = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    int[] classes = new int[pairs];
    for (int i = 0; i < pairs; i++) {
      int shape = r.nextInt(SHAPES.length);
      int colour = r.nextInt(COLOURS.length);
      int bg = r.nextInt(BACKGROUNDS.length);
      int size = r.nextInt(SIZES.length);
      double u = r.nextDouble();
      double v = r.nextDouble();
      int w = 80 + 8 * r.nextInt(7);
      int h = 80 + 8 * r.nextInt(7);
      classes[i] = ((shape * COLOURS.length + colour) * BACKGROUNDS.length + bg) * 2 + size;
      Path file = dir.resolve(String.format("%05d.png", i));
      ImageIO.write(draw(shape, colour, bg, size, u, v, w, h), "png", file.toFile());
      files.add(file);
      captions.add(caption(shape, colour, bg, size));
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

  /** The training set's full caption template, e.g. "a large red circle on a white background". */
  static String caption(int shape, int colour, int bg, int size) {
    return article(SIZES[size])
        + " "
        + SIZES[size]
        + " "
        + COLOURS[colour]
        + " "
        + SHAPES[shape]
        + " on "
        + article(BACKGROUNDS[bg])
        + " "
        + BACKGROUNDS[bg]
        + " background";
  }

  private static String article(String word) {
    return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }

  private static BufferedImage draw(
      int shape, int colour, int bg, int size, double u, double v, int width, int height) {
    int side0 = Math.min(width, height);
    double r = RADIUS[size] * side0;
    double side = SAFE * side0;
    double cx = (width - side) / 2.0 + r + u * (side - 2 * r);
    double cy = (height - side) / 2.0 + r + v * (side - 2 * r);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(BG_RGB[bg]);
    g.fillRect(0, 0, width, height);
    g.setColor(RGB[colour]);
    switch (SHAPES[shape]) {
      case "circle" -> disc(g, cx, cy, r);
      case "ring" -> {
        disc(g, cx, cy, r);
        g.setColor(BG_RGB[bg]);
        disc(g, cx, cy, 0.55 * r);
      }
      default -> g.fillPolygon(polygon(SHAPES[shape], cx, cy, r));
    }
    g.dispose();
    return img;
  }

  private static int rnd(double v) {
    return (int) Math.floor(v + 0.5);
  }

  private static void disc(Graphics2D g, double cx, double cy, double r) {
    int x0 = rnd(cx - r);
    int y0 = rnd(cy - r);
    g.fillOval(x0, y0, rnd(cx + r) - x0 + 1, rnd(cy + r) - y0 + 1);
  }

  private static Polygon polygon(String shape, double cx, double cy, double r) {
    Polygon p = new Polygon();
    switch (shape) {
      case "square" -> {
        double h = 0.85 * r;
        double[][] c = {{-h, -h}, {h, -h}, {h, h}, {-h, h}};
        for (double[] d : c) p.addPoint(rnd(cx + d[0]), rnd(cy + d[1]));
      }
      case "triangle" -> polar(p, cx, cy, new double[] {r, r, r}, new double[] {-90, 30, 150});
      case "star" -> {
        double[] rr = new double[10];
        double[] aa = new double[10];
        for (int i = 0; i < 10; i++) {
          rr[i] = i % 2 == 0 ? r : 0.45 * r;
          aa[i] = -90 + 36 * i;
        }
        polar(p, cx, cy, rr, aa);
      }
      case "diamond" -> {
        double[][] c = {{0, -r}, {0.75 * r, 0}, {0, r}, {-0.75 * r, 0}};
        for (double[] d : c) p.addPoint(rnd(cx + d[0]), rnd(cy + d[1]));
      }
      case "hexagon" ->
          polar(
              p, cx, cy, new double[] {r, r, r, r, r, r}, new double[] {0, 60, 120, 180, 240, 300});
      default -> {
        double w = 0.3 * r;
        double[][] c = {
          {-w, -r}, {w, -r}, {w, -w}, {r, -w}, {r, w}, {w, w}, {w, r}, {-w, r}, {-w, w}, {-r, w},
          {-r, -w}, {-w, -w}
        };
        for (double[] d : c) p.addPoint(rnd(cx + d[0]), rnd(cy + d[1]));
      }
    }
    return p;
  }

  private static void polar(Polygon p, double cx, double cy, double[] radii, double[] degrees) {
    for (int i = 0; i < radii.length; i++) {
      double a = Math.toRadians(degrees[i]);
      p.addPoint(rnd(cx + radii[i] * Math.cos(a)), rnd(cy + radii[i] * Math.sin(a)));
    }
  }
}
