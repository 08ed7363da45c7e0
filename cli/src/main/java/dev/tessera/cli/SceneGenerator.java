package dev.tessera.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * Draws the synthetic scenes the project's small CLIP was trained on — a filled shape of one colour
 * on a plain background — following the rules of {@code tools/tiny-clip/make_tiny_clip.py} (same
 * shapes, RGB values, sizes, safe box and vertex geometry), and writes their captions.
 */
final class SceneGenerator {
  static final List<String> SHAPES =
      List.of("circle", "square", "triangle", "star", "cross", "ring", "diamond", "hexagon");
  static final Map<String, Color> COLOURS = new java.util.LinkedHashMap<>();
  static final Map<String, Color> BACKGROUNDS = new java.util.LinkedHashMap<>();
  static final Map<String, Double> SIZES = Map.of("small", 0.16, "large", 0.30);
  private static final double SAFE = 0.86;

  static {
    COLOURS.put("red", new Color(220, 30, 30));
    COLOURS.put("green", new Color(30, 160, 50));
    COLOURS.put("blue", new Color(30, 70, 220));
    COLOURS.put("yellow", new Color(240, 210, 30));
    COLOURS.put("orange", new Color(245, 130, 20));
    COLOURS.put("purple", new Color(130, 50, 180));
    COLOURS.put("pink", new Color(240, 120, 190));
    COLOURS.put("cyan", new Color(30, 200, 210));
    BACKGROUNDS.put("white", new Color(255, 255, 255));
    BACKGROUNDS.put("black", new Color(0, 0, 0));
    BACKGROUNDS.put("gray", new Color(128, 128, 128));
  }

  /** One scene: what is drawn, and where (u, v in [0, 1] inside the safe box). */
  record Scene(String shape, String colour, String background, String size, double u, double v) {
    /** The caption in the training set's full template. */
    String caption() {
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

  private SceneGenerator() {}

  static String article(String word) {
    return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }

  private static int rnd(double v) {
    return (int) Math.floor(v + 0.5);
  }

  static BufferedImage draw(Scene s, int width, int height) {
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

  static Polygon polygon(String shape, double cx, double cy, double r) {
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
