package dev.tessera.serve;

import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Similarity;
import dev.tessera.api.Source;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.Encoders;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A small collection for the server's tests, embedded with the project's tiny CLIP: three pictures,
 * a caption, and records that must never be served (a link out of the folder, a stored path with
 * {@code ..}, a text file).
 */
final class Fixture {
  final Path root;
  final Path pictures;
  final Path collection;
  final Path outside;
  final MultiModalEncoder encoder;

  Fixture(Path root) throws IOException {
    this.root = root;
    this.pictures = Files.createDirectories(root.resolve("pictures"));
    this.outside = Files.createDirectories(root.resolve("outside"));
    this.collection = root.resolve("demo.tessera");
    this.encoder = Encoders.open(models().resolve("tiny-clip"));
    draw("red-circle.png", Color.WHITE, new Color(220, 30, 30), true);
    draw("blue-square.png", Color.BLACK, new Color(30, 70, 220), false);
    Path secret = outside.resolve("secret.png");
    ImageIO.write(picture(Color.GRAY, Color.GREEN, true), "png", secret.toFile());
    Files.createSymbolicLink(pictures.resolve("link.png"), secret);
    Files.writeString(pictures.resolve("notes.txt"), "a note");
    try (VectorCollection c =
        VectorCollection.create(collection, "lucene", encoder.fingerprint())) {
      image(c, "red-circle.png", Map.of("album", "warm", "year", 2024L));
      image(c, "blue-square.png", Map.of("album", "cold", "year", 2023L));
      // a link leaving the folder, as a careless indexer might have stored it
      c.upsert(
          new Item(
              "image:link.png",
              encoder.embedImage(secret),
              Map.of("path", pictures.resolve("link.png").toString()),
              Source.image(pictures.resolve("link.png").toString())));
      // a stored path that climbs out with ..
      c.upsert(
          new Item(
              "image:sneaky.png",
              encoder.embedImage(secret),
              Map.of(),
              Source.image(pictures + "/../outside/secret.png")));
      c.upsert(
          new Item(
              "text:notes.txt",
              encoder.embedText("a note"),
              Map.of("path", pictures.resolve("notes.txt").toString()),
              Source.text("a note")));
      c.upsert(
          new Item(
              "caption:red-circle.png#1",
              encoder.embedText("a large red circle on a white background"),
              Map.of("path", pictures.resolve("red-circle.png").toString()),
              Source.text("a large red circle on a white background")));
      c.commit();
    }
  }

  /** A collection of the same shape built by another model. */
  Path foreignCollection() {
    Path dir = root.resolve("foreign.tessera");
    ModelFingerprint other =
        ModelFingerprint.declared(
            "other-model", encoder.fingerprint().dimension(), Similarity.COSINE, true, "other");
    try (VectorCollection c = VectorCollection.create(dir, "lucene", other)) {
      float[] v = new float[other.dimension()];
      v[0] = 1;
      c.upsert(Item.image("image:x.png", "/nowhere/x.png", Embedding.image(v, other)));
      c.commit();
    }
    return dir;
  }

  private void image(VectorCollection c, String name, Map<String, Object> meta) {
    Path file = pictures.resolve(name);
    Map<String, Object> m = new java.util.HashMap<>(meta);
    m.put("path", file.toString());
    c.upsert(new Item("image:" + name, encoder.embedImage(file), m, Source.image(file.toString())));
  }

  private void draw(String name, Color bg, Color fg, boolean round) throws IOException {
    ImageIO.write(picture(bg, fg, round), "png", pictures.resolve(name).toFile());
  }

  static BufferedImage picture(Color bg, Color fg, boolean round) {
    BufferedImage img = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(bg);
    g.fillRect(0, 0, 112, 112);
    g.setColor(fg);
    if (round) g.fillOval(22, 22, 68, 68);
    else g.fillRect(22, 22, 68, 68);
    g.dispose();
    return img;
  }

  static Path models() {
    String override = System.getProperty("tessera.models");
    if (override != null && !override.isBlank()) return Path.of(override).toAbsolutePath();
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("models/tiny-clip"))) return d.resolve("models");
    }
    throw new IllegalStateException(
        "models/tiny-clip is missing from this checkout (or pass -Dtessera.models=DIR).");
  }
}
