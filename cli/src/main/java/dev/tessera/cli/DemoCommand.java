package dev.tessera.cli;

import dev.tessera.api.Hit;
import dev.tessera.api.Modality;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Query;
import dev.tessera.api.collection.FolderSync;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.VectorStores;
import dev.tessera.synthetic.SceneGenerator;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tessera demo}: generate captioned pictures, index them, search by text and by image. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    version = TesseraCommand.VERSION,
    description = {
      "Generate a small captioned image set, index it into a collection and run a few searches.",
      "The pictures and the collection are kept in ./tessera-demo (or --out DIR), so they can be"
          + " opened and searched again afterwards; a second run replaces them."
    })
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

  /** The folder a demo writes to when no --out is given (in the current directory). */
  static final String DEFAULT_OUT = "tessera-demo";

  /** Marks a folder as the demo's, so a second run may replace what is in it. */
  static final String MARKER = ".tessera-demo";

  @Option(
      names = {"--out", "--keep"},
      paramLabel = "DIR",
      description =
          "Folder for the pictures and the collection (default: ./"
              + DEFAULT_OUT
              + "; kept after the run).")
  Path out;

  @Option(
      names = "--model",
      paramLabel = "M",
      description = "Model directory (default: the built-in small CLIP).")
  Path model;

  @Mixin EncoderOption encoder;

  @Option(
      names = "--serve",
      description =
          "Then serve the search page over the demo collection (tessera serve; Ctrl-C stops).")
  boolean serve;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "" + dev.tessera.serve.ServeConfig.DEFAULT_PORT,
      description = "Port for --serve (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "Store to use: ${COMPLETION-CANDIDATES} (default: lucene).",
      converter = StoreNames.class,
      completionCandidates = StoreNames.class)
  String store;

  @Mixin CassandraOptions cassandraOptions;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (count < 4 || count > 2000)
      throw new IllegalArgumentException("--images must be between 4 and 2000, got " + count + ".");
    long t0 = System.nanoTime();
    String storeName = store != null ? store : VectorStores.defaultName();
    cassandraOptions.check(storeName);
    Path work = claim(out != null ? out : Path.of(DEFAULT_OUT));
    Path pictures = work.resolve("pictures");
    Path collection = work.resolve("demo.tessera");
    Path modelDir = Models.resolve(model, null, root.err);
    try (MultiModalEncoder encoder = Models.open(modelDir, this.encoder.name);
        DemoCassandra cassandra = DemoCassandra.forStore(storeName, cassandraOptions, root.out)) {
      deleteTree(pictures);
      deleteTree(collection);
      Files.createDirectories(pictures);
      List<SceneGenerator.Scene> scenes = generate(pictures);
      root.out.printf("Generated %d captioned pictures in %s%n", scenes.size(), pictures);
      try (VectorCollection c =
          VectorCollection.create(
              collection,
              VectorStores.provider(storeName),
              encoder.fingerprint(),
              cassandra.settings(),
              // so that searching the kept collection later finds its model without a notice
              Models.hints(modelDir))) {
        FolderSync.Report r =
            IndexCommand.sync(c, encoder, 32, () -> false, new FolderSync.Listener() {})
                .run(pictures);
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
        String mixed = scenes.get(rnd.nextInt(scenes.size())).caption();
        root.out.println("Text → images and captions, ranked together: \"" + mixed + "\"");
        print(c.search(Query.of(encoder.embedText(mixed)).k(5)));
        root.out.println(
            "  (score: the raw similarity, on which captions always beat pictures; rank: how far"
                + " the score stands above the query's usual score for that kind, which puts"
                + " both on one scale. --ranking similarity gives the raw order.)");
        root.out.println();
        Path picture = pictures.resolve(fileName(0, scenes.get(0)));
        root.out.println(
            "Image → captions: " + picture.getFileName() + " (" + scenes.get(0).caption() + ")");
        print(c.search(Query.of(encoder.embedImage(picture)).k(3).only(Modality.TEXT)));
      }
      root.out.printf("Done in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
      if (cassandra.startedNode() && !serve) {
        root.out.println(
            "The pictures are kept in "
                + work
                + "; the collection lived in the demo's own Cassandra node, which stops now with"
                + " its data. To keep one, start a node with bin/cassandra-dev and pass its contact"
                + " point with --contact-points.");
        return 0;
      }
      root.out.println(
          "The pictures and the collection are kept in "
              + work
              + " (delete the folder when done). Search it again:");
      root.out.println("  tessera search --collection " + collection + " --text \"a blue star\"");
      if (serve) {
        return ServeCommand.serveUntilStopped(
            dev.tessera.serve.ServeConfig.of(collection)
                .withAddress(dev.tessera.serve.ServeConfig.LOOPBACK, port),
            encoder,
            root.out,
            root.err);
      }
      root.out.println("  tessera serve --collection " + collection + "   # the search page");
      return 0;
    }
  }

  /**
   * The demo's folder, created if absent. An existing folder must be empty or one an earlier demo
   * made (it holds {@value #MARKER}), so the demo never replaces someone's own files.
   */
  private static Path claim(Path dir) throws IOException {
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(
            dir + " is a file, not a folder: choose another with --out DIR.");
      }
      boolean empty;
      try (Stream<Path> s = Files.list(dir)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty && !Files.exists(dir.resolve(MARKER))) {
        throw new IllegalArgumentException(
            dir.toAbsolutePath()
                + " exists and was not made by tessera demo, so the demo does not write into it:"
                + " choose another folder with --out DIR.");
      }
    }
    Files.createDirectories(dir);
    if (!Files.exists(dir.resolve(MARKER))) {
      Files.writeString(
          dir.resolve(MARKER), "Made by 'tessera demo'; a new demo run replaces this folder.\n");
    }
    return dir;
  }

  private void print(List<Hit> hits) {
    int rank = 1;
    for (Hit h : hits) {
      root.out.printf(
          "  %d. %.3f%s  %-5s  %s%n",
          rank++,
          h.score(),
          h.ranking() == Hit.Ranking.CALIBRATED
              ? String.format(Locale.ROOT, " (rank %5.2f)", h.rankScore())
              : "",
          h.modality().id(),
          SearchCommand.describe(h));
    }
    root.out.println();
  }

  private List<SceneGenerator.Scene> generate(Path dir) throws IOException {
    List<SceneGenerator.Scene> scenes = new ArrayList<>();
    try (Writer captions =
        Files.newBufferedWriter(dir.resolve("captions.csv"), StandardCharsets.UTF_8)) {
      captions.write("image,caption\n");
      int i = 0;
      for (SceneGenerator.Picture p : SceneGenerator.pictures(seed, count)) {
        SceneGenerator.Scene s = p.scene();
        String name = fileName(i++, s);
        ImageIO.write(p.draw(), "png", dir.resolve(name).toFile());
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
