package dev.tessera.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The harness's command line, parsed: sizes, data, backends and the swept search settings. */
final class HarnessOptions {
  boolean smoke;
  boolean progress = true;
  boolean keep;
  int[] sizes = {10_000, 100_000};
  int dim = 512;
  int queries = 500;
  long seed = 42;
  Path out = Path.of("bench-results");
  Path work;
  Path model;
  int pictures = 5_000;
  List<Harness.Backend> backends;

  static final Map<String, Harness.Backend> KNOWN = new LinkedHashMap<>();

  static {
    List<String> beams = List.of("10", "20", "40", "100", "200");
    KNOWN.put("memory", new Harness.Backend("memory", "memory", Map.of(), null, List.of()));
    // over-query is the number of extra candidates beyond k, so k=10 walks 11, 20, 40, 100 and
    // 200: the jvector beams.
    List<String> overQuery = List.of("1", "10", "30", "90", "190");
    KNOWN.put("lucene", new Harness.Backend("lucene", "lucene", Map.of(), "over-query", overQuery));
    KNOWN.put(
        "lucene-int8",
        new Harness.Backend(
            "lucene-int8", "lucene", Map.of("quantization", "int8"), "over-query", overQuery));
    KNOWN.put("jvector", new Harness.Backend("jvector", "jvector", Map.of(), "search-beam", beams));
    KNOWN.put(
        "jvector-pq",
        new Harness.Backend(
            "jvector-pq",
            "jvector",
            Map.of("pq-subspaces", "64") /* 8 dims per subspace */,
            "search-beam",
            beams));
  }

  /** The options in {@code args}, or null for {@code --help}. */
  static HarnessOptions parse(String[] args) {
    HarnessOptions o = new HarnessOptions();
    List<String> names = new ArrayList<>(List.of("memory", "lucene", "jvector", "jvector-pq"));
    Map<String, Harness.Backend> known = new LinkedHashMap<>(KNOWN);
    boolean sizesGiven = false;
    boolean queriesGiven = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          return null;
        }
        case "--smoke" -> o.smoke = true;
        case "--no-progress" -> o.progress = false;
        case "--keep" -> o.keep = true;
        case "--sizes" -> {
          o.sizes =
              Arrays.stream(value(args, ++i, a).split(","))
                  .filter(x -> !x.isBlank())
                  .mapToInt(s -> Integer.parseInt(s.trim().replace("_", "")))
                  .toArray();
          sizesGiven = true;
        }
        case "--dim" -> o.dim = Integer.parseInt(value(args, ++i, a));
        case "--queries" -> {
          o.queries = Integer.parseInt(value(args, ++i, a));
          queriesGiven = true;
        }
        case "--seed" -> o.seed = Long.parseLong(value(args, ++i, a));
        case "--out" -> o.out = Path.of(value(args, ++i, a));
        case "--work" -> o.work = Path.of(value(args, ++i, a));
        case "--model" ->
            o.model =
                Path.of(value(args, ++i, a))
                    .toAbsolutePath()
                    .normalize(); // the encoder refuses paths with ".."
        case "--pictures" -> o.pictures = Integer.parseInt(value(args, ++i, a));
        case "--backends" ->
            names = Arrays.stream(value(args, ++i, a).split(",")).map(String::trim).toList();
        case "--effort" -> {
          String spec = value(args, ++i, a);
          int eq = spec.indexOf('=');
          int colon = spec.indexOf(':');
          if (eq < 1 || colon < eq + 2) {
            throw new IllegalArgumentException(
                "--effort " + spec + " is not LABEL=KEY:v1,v2 (e.g. lucene=over-query:1,2,4).");
          }
          String label = spec.substring(0, eq);
          Harness.Backend old = known.get(label);
          if (old == null)
            throw new IllegalArgumentException(
                "--effort names unknown backend '" + label + "'; known: " + known.keySet());
          known.put(
              label,
              new Harness.Backend(
                  label,
                  old.provider(),
                  old.build(),
                  spec.substring(eq + 1, colon),
                  List.of(spec.substring(colon + 1).split(","))));
        }
        default -> throw new IllegalArgumentException("Unknown option '" + a + "'.\n" + usage());
      }
    }
    if (o.smoke) {
      if (!sizesGiven) o.sizes = new int[] {2_000};
      if (!queriesGiven) o.queries = 50;
      o.pictures = Math.min(o.pictures, 100);
    }
    o.backends = new ArrayList<>();
    for (String name : names) {
      Harness.Backend b = known.get(name);
      if (b == null)
        throw new IllegalArgumentException(
            "Unknown backend '" + name + "'; known: " + known.keySet());
      o.backends.add(b);
    }
    return o;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length)
      throw new IllegalArgumentException("Option " + option + " needs a value.\n" + usage());
    return args[i];
  }

  /** The help text. */
  static String usage() {
    return String.join(
        "\n",
        "Usage: Harness [--smoke] [--sizes 10000,100000] [--dim 512] [--queries 500] [--seed 42]",
        "               [--backends memory,jvector,jvector-pq,lucene] [--out bench-results] [--work"
            + " DIR]",
        "               [--effort LABEL=KEY:v1,v2,...] [--model CLIP_DIR [--pictures 5000]]"
            + " [--no-progress]",
        "  --model      also embed generated pictures and their captions with this CLIP model"
            + " (sizes still run; --sizes '' for none)",
        "  --smoke      2,000 vectors, 50 queries, one effort value per backend (CI: checks the"
            + " outputs, not speed)",
        "  --effort     overrides the swept search setting of a backend, e.g. --effort"
            + " lucene=over-query:1,2,4");
  }
}
