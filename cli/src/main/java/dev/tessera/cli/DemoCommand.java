package dev.tessera.cli;

import dev.tessera.api.Hit;
import dev.tessera.api.Modality;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Query;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.VectorStores;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tessera demo}: generate captioned pictures, index them, search by text and by image. */
@Command(
    name = "demo",
    description =
        "Generate a small captioned image set, index it into a temporary collection and run a few"
            + " searches.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand TesseraCommand root;

  @Option(
      names = "--images",
      defaultValue = "48",
      description = "How many pictures to generate (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Seed of the generated set (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--keep",
      paramLabel = "DIR",
      description = "Keep the pictures and the collection in DIR instead of a temporary folder.")
  Path keep;

  @Option(
      names = "--model",
      paramLabel = "M",
      description = "Model directory (default: the built-in small CLIP).")
  Path model;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "Store to use (default: lucene).",
      completionCandidates = StoreNames.class)
  String store;

  @Override
  public Integer call() throws IOException {
    if (count < 4 || count > 2000)
      throw new IllegalArgumentException("--images must be between 4 and 2000, got " + count + ".");
    long t0 = System.nanoTime();
    String storeName = store != null ? store : VectorStores.defaultName();
    VectorStores.provider(storeName); // an unknown store fails before any work
    Path work =
        keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("tessera-demo");
    Path pictures = Files.createDirectories(work.resolve("pictures"));
    Path collection = work.resolve("demo.tessera");
    try (MultiModalEncoder encoder = Models.open(model, null, root.err)) {
      List<SceneGenerator.Scene> scenes = generate(pictures);
      root.out.printf("Generated %d captioned pictures in %s%n", scenes.size(), pictures);
      if (VectorCollection.exists(collection)) deleteTree(collection);
      try (VectorCollection c =
          VectorCollection.create(
              collection, VectorStores.provider(storeName), encoder.fingerprint(), Map.of())) {
        FolderIndexer.Report r =
            new FolderIndexer(encoder, c, 32, new AtomicBoolean()).run(pictures, root.err);
        root.out.printf(
            "Indexed %d images and %d captions into one '%s' collection with %s%n%n",
            r.images(), r.texts(), storeName, encoder.fingerprint().name());
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int q = 0; q < 3; q++) {
          SceneGenerator.Scene s = scenes.get(rnd.nextInt(scenes.size()));
          String text = s.caption();
          root.out.println("Text → images: \"" + text + "\"");
          print(c.search(Query.of(encoder.embedText(text)).k(3).only(Modality.IMAGE)));
        }
        String free =
            "a "
                + SceneGenerator.COLOURS.keySet().iterator().next()
                + " "
                + SceneGenerator.SHAPES.get(3);
        root.out.println("Text → anything: \"" + free + "\"");
        print(c.search(Query.of(encoder.embedText(free)).k(4)));
        Path picture = pictures.resolve(fileName(0, scenes.get(0)));
        root.out.println(
            "Image → captions: " + picture.getFileName() + " (" + scenes.get(0).caption() + ")");
        print(c.search(Query.of(encoder.embedImage(picture)).k(3).only(Modality.TEXT)));
      }
      root.out.printf(
          "Done in %.1f s.%s%n",
          (System.nanoTime() - t0) / 1e9,
          keep != null
              ? " Try: tessera search --collection " + collection + " --text \"a blue star\""
              : "");
      return 0;
    } finally {
      if (keep == null) deleteTree(work);
    }
  }

  private void print(List<Hit> hits) {
    int rank = 1;
    for (Hit h : hits) {
      root.out.printf(
          "  %d. %.3f  %-5s  %s%n",
          rank++, h.score(), h.modality().id(), SearchCommand.describe(h));
    }
    root.out.println();
  }

  private List<SceneGenerator.Scene> generate(Path dir) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> colours = new ArrayList<>(SceneGenerator.COLOURS.keySet());
    List<String> bgs = new ArrayList<>(SceneGenerator.BACKGROUNDS.keySet());
    List<String> sizes = List.of("small", "large");
    List<SceneGenerator.Scene> scenes = new ArrayList<>();
    try (Writer captions =
        Files.newBufferedWriter(dir.resolve("captions.csv"), StandardCharsets.UTF_8)) {
      captions.write("image,caption\n");
      for (int i = 0; i < count; i++) {
        SceneGenerator.Scene s =
            new SceneGenerator.Scene(
                SceneGenerator.SHAPES.get(i % SceneGenerator.SHAPES.size()),
                colours.get(rnd.nextInt(colours.size())),
                bgs.get(rnd.nextInt(bgs.size())),
                sizes.get(rnd.nextInt(2)),
                rnd.nextDouble(),
                rnd.nextDouble());
        int w = 80 + 8 * rnd.nextInt(7);
        int h = 80 + 8 * rnd.nextInt(7);
        String name = fileName(i, s);
        ImageIO.write(SceneGenerator.draw(s, w, h), "png", dir.resolve(name).toFile());
        captions.write(name + "," + s.caption() + "\n");
        scenes.add(s);
      }
    }
    return scenes;
  }

  private static String fileName(int i, SceneGenerator.Scene s) {
    return String.format("%03d-%s-%s.png", i, s.colour(), s.shape());
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
