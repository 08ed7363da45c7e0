package dev.tessera.bench.mixed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mixed-collection quality harness: for each data set (the small CLIP's captioned pictures, and
 * CLIP-like pairs at each chosen gap width), each size, each store and each ranking it reports how
 * often an unfiltered caption query finds its own picture and a picture its own caption, the
 * same-modality quality, how many top-5 lists mix both modalities and the recall against the exact
 * ranking. Run with {@code --help} for the options; the results go to {@code --out} as {@code
 * results.csv}, {@code gaps.csv}, {@code results.md} and {@code quality.svg}.
 */
public final class MixedQualityHarness {
  private MixedQualityHarness() {}

  /** What to run. */
  public record Options(
      Path model,
      int[] sizes,
      List<String> stores,
      double[] gaps,
      int queries,
      long seed,
      int dimension,
      int clusters,
      double spread,
      Path out,
      Path work) {
    /** Reads the command line; the error names the bad argument. */
    public static Options parse(String[] args) {
      Map<String, String> a = new LinkedHashMap<>();
      boolean smoke = false;
      for (int i = 0; i < args.length; i++) {
        String k = args[i];
        if (k.equals("--smoke")) {
          smoke = true;
        } else if (k.equals("--help")) {
          throw new IllegalArgumentException(USAGE);
        } else if (k.startsWith("--") && i + 1 < args.length) {
          a.put(k, args[++i]);
        } else {
          throw new IllegalArgumentException(
              "Unknown or incomplete argument '" + k + "'.\n" + USAGE);
        }
      }
      for (String k : a.keySet()) {
        if (!KNOWN.contains(k)) {
          throw new IllegalArgumentException("Unknown option '" + k + "'.\n" + USAGE);
        }
      }
      String model = a.getOrDefault("--model", "models/tiny-clip");
      return new Options(
          model.equals("none") ? null : Path.of(model),
          ints(a.getOrDefault("--sizes", smoke ? "150" : "100,400,1600"), "--sizes"),
          List.of(a.getOrDefault("--stores", "memory,lucene,jvector").split(",")),
          doubles(a.getOrDefault("--gaps", smoke ? "1.0" : "0.75,1.0"), "--gaps"),
          ints(a.getOrDefault("--queries", smoke ? "60" : "400"), "--queries")[0],
          Long.parseLong(a.getOrDefault("--seed", "7")),
          ints(a.getOrDefault("--dim", smoke ? "64" : "512"), "--dim")[0],
          ints(a.getOrDefault("--clusters", smoke ? "12" : "50"), "--clusters")[0],
          doubles(a.getOrDefault("--spread", "0.8"), "--spread")[0],
          Path.of(a.getOrDefault("--out", "mixed-quality")),
          a.containsKey("--work") ? Path.of(a.get("--work")) : null);
    }

    private static int[] ints(String s, String name) {
      try {
        int[] v = Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
        for (int x : v) if (x < 1) throw new NumberFormatException();
        return v;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            name + " needs positive whole numbers separated by commas, got '" + s + "'.");
      }
    }

    private static double[] doubles(String s, String name) {
      try {
        double[] v = Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray();
        for (double x : v) if (!(x >= 0)) throw new NumberFormatException();
        return v;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            name + " needs numbers >= 0 separated by commas, got '" + s + "'.");
      }
    }
  }

  private static final List<String> KNOWN =
      List.of(
          "--model",
          "--sizes",
          "--stores",
          "--gaps",
          "--queries",
          "--seed",
          "--dim",
          "--clusters",
          "--spread",
          "--out",
          "--work");

  private static final String USAGE =
      "Usage: MixedQualityHarness [--smoke] [--model DIR|none] [--sizes 100,400,1600]"
          + " [--stores memory,lucene,jvector] [--gaps 0.75,1.0] [--queries 400] [--seed 7]"
          + " [--dim 512] [--clusters 50] [--spread 0.8] [--out DIR] [--work DIR]";

  /** Runs the harness from the command line. */
  public static void main(String[] args) throws IOException {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Result r = run(o);
    System.out.println(Reports.markdown(r));
    System.out.println("Wrote " + o.out().toAbsolutePath());
  }

  /** The measured rows and each data set's gap. */
  public record Result(List<MixedQuality.Row> rows, Map<String, GapStats> gaps, Options options) {}

  /**
   * Runs every data set, size and store, writing the outputs after each data set; the built
   * collections and pictures go to {@code --work} (kept) or a temporary folder (deleted).
   */
  public static Result run(Options o) throws IOException {
    if (o.work() != null) return run(o, o.work());
    Path work = Files.createTempDirectory("tessera-mixed");
    try {
      return run(o, work);
    } finally {
      try (java.util.stream.Stream<Path> s = Files.walk(work)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static Result run(Options o, Path work) throws IOException {
    int max = Arrays.stream(o.sizes()).max().orElseThrow();
    Files.createDirectories(o.out());
    List<MixedData> sets = new ArrayList<>();
    if (o.model() != null) {
      if (!Files.isDirectory(o.model())) {
        throw new IllegalArgumentException(
            "No model directory at "
                + o.model().toAbsolutePath()
                + ": pass --model models/tiny-clip from the repository root, or --model none.");
      }
      log("embedding %d pictures and captions with %s", max, o.model());
      sets.add(TinyClipScenes.embed(o.model(), max, o.seed(), work.resolve("pictures")));
    }
    for (double gap : o.gaps()) {
      sets.add(
          new PairedClipLike(o.seed(), o.dimension(), o.clusters(), gap, o.spread()).generate(max));
    }
    List<MixedQuality.Row> rows = new ArrayList<>();
    Map<String, GapStats> gaps = new LinkedHashMap<>();
    int run = 0;
    for (MixedData all : sets) {
      for (int size : o.sizes()) {
        MixedData d = all.prefix(size);
        GapStats g = GapStats.of(d);
        gaps.put(d.name() + "@" + size, g);
        log(
            "%s, %d pairs: pair cosine %.3f, same-modality neighbour %.3f, gap %.3f",
            d.name(), size, g.pairCos(), g.sameModalityNnCos(), g.gap());
        for (String store : o.stores()) {
          List<MixedQuality.Row> r =
              MixedQuality.measure(d, store, work.resolve("c" + run++), o.queries());
          for (MixedQuality.Row row : r) {
            log(
                "  %-8s %-10s text->own image top1 %.3f (self out %.3f) top5 %.3f, image->own"
                    + " caption top1 %.3f (self out %.3f) top5 %.3f, same-class img %.3f txt %.3f,"
                    + " mixed %.3f, recall@10 %.3f",
                store,
                row.ranking(),
                row.textToImageTop1(),
                row.textToImageTop1SelfOut(),
                row.textToImageTop5(),
                row.imageToTextTop1(),
                row.imageToTextTop1SelfOut(),
                row.imageToTextTop5(),
                row.imageSameClass5(),
                row.textSameClass5(),
                row.mixedTop5(),
                row.recallAt10());
          }
          rows.addAll(r);
        }
      }
      Result partial = new Result(rows, gaps, o);
      Reports.write(partial, o.out());
    }
    return new Result(rows, gaps, o);
  }

  private static void log(String format, Object... args) {
    System.err.println(String.format(Locale.ROOT, format, args));
  }
}
