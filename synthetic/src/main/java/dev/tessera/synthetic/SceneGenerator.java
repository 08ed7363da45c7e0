package dev.tessera.synthetic;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws the synthetic scenes the project's small CLIP was trained on — a filled shape of one colour
 * on a plain background — following the rules of {@code tools/tiny-clip/make_tiny_clip.py} (same
 * shapes, RGB values, sizes, safe box and vertex geometry), and writes their captions. It is the
 * project's one picture generator: the CLI's demo and the bench's pictures-and-captions data set
 * both draw with it, so the small CLIP sees the kind of picture it learned.
 */
public final class SceneGenerator {
  /** The shapes, in the order {@link #pictures} cycles through them. */
  public static final List<String> SHAPES =
      List.of("circle", "square", "triangle", "star", "cross", "ring", "diamond", "hexagon");

  /** Shape colours by name, in a fixed order. */
  public static final Map<String, Color> COLOURS;

  /** Background colours by name, in a fixed order. */
  public static final Map<String, Color> BACKGROUNDS;

  /** Shape radius relative to the picture's shorter side, by size name. */
  public static final Map<String, Double> SIZES = Map.of("small", 0.16, "large", 0.30);

  private static final List<String> SIZE_NAMES = List.of("small", "large");
  private static final double SAFE = 0.86;

  static {
    Map<String, Color> colours = new LinkedHashMap<>();
    Map<String, Color> backgrounds = new LinkedHashMap<>();
    colours.put("red", new Color(220, 30, 30));
    colours.put("green", new Color(30, 160, 50));
    colours.put("blue", new Color(30, 70, 220));
    colours.put("yellow", new Color(240, 210, 30));
    colours.put("orange", new Color(245, 130, 20));
    colours.put("purple", new Color(130, 50, 180));
    colours.put("pink", new Color(240, 120, 190));
    colours.put("cyan", new Color(30, 200, 210));
    backgrounds.put("white", new Color(255, 255, 255));
    backgrounds.put("black", new Color(0, 0, 0));
    backgrounds.put("gray", new Color(128, 128, 128));
    COLOURS = Collections.unmodifiableMap(colours);
    BACKGROUNDS = Collections.unmodifiableMap(backgrounds);
  }

  /** One scene: what is drawn, and where (u, v in [0, 1] inside the safe box). */
  public record Scene(
      String shape, String colour, String background, String size, double u, double v) {
    /** Validates the names against the generator's vocabularies. */
    public Scene {
      if (!SHAPES.contains(shape)
          || !COLOURS.containsKey(colour)
          || !BACKGROUNDS.containsKey(background)
          || !SIZES.containsKey(size)) {
        throw new IllegalArgumentException(
            "Unknown scene "
                + shape
                + "/"
                + colour
                + "/"
                + background
                + "/"
                + size
                + "; shapes are "
                + SHAPES
                + ", colours "
                + COLOURS.keySet()
                + ", backgrounds "
                + BACKGROUNDS.keySet()
                + ", sizes "
                + SIZE_NAMES
                + ".");
      }
    }

    /** The caption in the training set's full template. */
    public String caption() {
      return article(size)
          + " "
          + size
          + " "
          + colour
          + " "
          + shape
          + " on "
          + article(background)
          + " "
          + background
          + " background";
    }
  }

  /** One generated picture: its scene and its size in pixels. */
  public record Picture(Scene scene, int width, int height) {
    /** Draws it. */
    public BufferedImage draw() {
      return SceneGenerator.draw(scene, width, height);
    }
  }

  private SceneGenerator() {}

  /**
   * {@code count} seeded pictures: picture {@code i} has shape {@code SHAPES[i % 8]}, a random
   * colour, background, size and place, and a size of 80 to 128 pixels a side in steps of 8. The
   * same seed and count give the same pictures on every JVM.
   */
  public static List<Picture> pictures(long seed, int count) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> colours = List.copyOf(COLOURS.keySet());
    List<String> bgs = List.copyOf(BACKGROUNDS.keySet());
    List<Picture> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Scene s =
          new Scene(
              SHAPES.get(i % SHAPES.size()),
              colours.get(rnd.nextInt(colours.size())),
              bgs.get(rnd.nextInt(bgs.size())),
              SIZE_NAMES.get(rnd.nextInt(2)),
              rnd.nextDouble(),
              rnd.nextDouble());
      int w = 80 + 8 * rnd.nextInt(7);
      int h = 80 + 8 * rnd.nextInt(7);
      out.add(new Picture(s, w, h));
    }
    return out;
  }

  /** "an" before a vowel, else "a". */
  public static String article(String word) {
    return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }

  private static int rnd(double v) {
    return (int) Math.floor(v + 0.5);
  }

  /** Draws {@code s} on a {@code width} × {@code height} RGB picture, without anti-aliasing. */
  public static BufferedImage draw(Scene s, int width, int height) {
    int side0 = Math.min(width, height);
    double r = SIZES.get(s.size) * side0;
    double side = SAFE * side0;
    double cx = (width - side) / 2.0 + r + s.u * (side - 2 * r);
    double cy = (height - side) / 2.0 + r + s.v * (side - 2 * r);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    Color bg = BACKGROUNDS.get(s.background);
    g.setColor(bg);
    g.fillRect(0, 0, width, height);
    g.setColor(COLOURS.get(s.colour));
    switch (s.shape) {
      case "circle" -> ellipse(g, cx, cy, r);
      case "ring" -> {
        ellipse(g, cx, cy, r);
        g.setColor(bg);
        ellipse(g, cx, cy, 0.55 * r);
      }
      default -> g.fillPolygon(polygon(s.shape, cx, cy, r));
    }
    g.dispose();
    return img;
  }

  private static void ellipse(Graphics2D g, double cx, double cy, double r) {
    int x0 = rnd(cx - r), y0 = rnd(cy - r), x1 = rnd(cx + r), y1 = rnd(cy + r);
    g.fillOval(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  }

  private static Polygon polygon(String shape, double cx, double cy, double r) {
    Polygon p = new Polygon();
    switch (shape) {
      case "square" -> {
        double h = 0.85 * r;
        p.addPoint(rnd(cx - h), rnd(cy - h));
        p.addPoint(rnd(cx + h), rnd(cy - h));
        p.addPoint(rnd(cx + h), rnd(cy + h));
        p.addPoint(rnd(cx - h), rnd(cy + h));
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
        p.addPoint(rnd(cx), rnd(cy - r));
        p.addPoint(rnd(cx + 0.75 * r), rnd(cy));
        p.addPoint(rnd(cx), rnd(cy + r));
        p.addPoint(rnd(cx - 0.75 * r), rnd(cy));
      }
      case "hexagon" ->
          polar(
              p, cx, cy, new double[] {r, r, r, r, r, r}, new double[] {0, 60, 120, 180, 240, 300});
      case "cross" -> {
        double w = 0.3 * r;
        double[][] xs = {
          {-w, -r}, {w, -r}, {w, -w}, {r, -w}, {r, w}, {w, w}, {w, r}, {-w, r}, {-w, w}, {-r, w},
          {-r, -w}, {-w, -w}
        };
        for (double[] d : xs) p.addPoint(rnd(cx + d[0]), rnd(cy + d[1]));
      }
      default -> throw new IllegalArgumentException("Unknown shape '" + shape + "'.");
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
