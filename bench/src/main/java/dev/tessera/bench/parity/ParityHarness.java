package dev.tessera.bench.parity;

import dev.tessera.api.math.Kernels;
import dev.tessera.bench.Harness;
import dev.tessera.bench.Machine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parity harness: the Tessera stores (through the SPI) and the raw libraries they wrap (Lucene,
 * JVector) as rows of one run, same data, same queries, one search thread, recall@10 against the
 * exact oracle, each knob swept; prints QPS at recall ≥ 0.95 / 0.99 / 0.999 and build rate of each
 * store over its raw library. Run with {@code --help} for the options.
 */
public final class ParityHarness {
  private ParityHarness() {}

  /** The rows a run can have, in run order. */
  static final List<String> ENGINES =
      List.of(
          "memory",
          "raw-lucene",
          "lucene",
          "lucene-incremental",
          "raw-jvector",
          "jvector",
          "jvector-incremental");

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    Map<String, String> o = parse(args);
    if (o == null) {
      System.out.println(usage());
      return;
    }
    run(o);
  }

  /** Runs with parsed options and returns the points it wrote. */
  static List<ParityPoint> run(Map<String, String> o) throws Exception {
    System.setProperty("java.awt.headless", "true");
    boolean smoke = o.containsKey("smoke");
    int n = Integer.parseInt(o.getOrDefault("size", smoke ? "2000" : "100000").replace("_", ""));
    int queries = Integer.parseInt(o.getOrDefault("queries", smoke ? "40" : "500"));
    Path out = Path.of(o.getOrDefault("out", "bench/results/parity/" + o.get("data")));
    Map<String, String> env = Machine.describe();
    env.put("kernel", Kernels.get().name());
    env.put("command", "ParityHarness " + String.join(" ", o.get("args")));
    env.put("started", java.time.Instant.now().toString());
    env.put("loadBefore", Machine.loadAverage());
    ParityData data =
        ParityData.generate(
            o.get("data"),
            n,
            queries,
            Integer.parseInt(o.getOrDefault("dim", "512")),
            Long.parseLong(o.getOrDefault("seed", "42")));
    ParityRunner runner = new ParityRunner(data);
    Path work = Files.createTempDirectory("tessera-parity");
    List<ParityPoint> points = new ArrayList<>();
    try {
      for (String name : o.getOrDefault("engines", String.join(",", ENGINES)).split(",")) {
        points.addAll(runner.measure(engine(name.trim(), smoke, o), work));
        ParityReport.write(out, env, points); // after every row: a stopped run keeps its rows
        System.gc();
      }
    } finally {
      Harness.deleteTree(work);
    }
    env.put("loadAfter", Machine.loadAverage());
    env.put("finished", java.time.Instant.now().toString());
    ParityReport.write(out, env, points);
    System.out.println(ParityReport.ratios(points));
    return points;
  }

  private static Engine engine(String name, boolean smoke, Map<String, String> o) {
    List<String> beams = List.of("10", "20", "40", "100", "200");
    List<String> overQuery = List.of("1", "10", "30", "90", "190"); // walks of 11..200
    List<String> k = List.of("11", "20", "40", "100", "200");
    Engine e =
        switch (name) {
          case "memory" -> new SpiEngine(name, "memory", "", List.of("exact"), 1);
          case "lucene" ->
              new SpiEngine(name, "lucene", "over-query", efforts(o, name, overQuery), 1);
          case "lucene-incremental" ->
              new SpiEngine(name, "lucene", "over-query", efforts(o, name, overQuery), 10);
          case "jvector" ->
              new SpiEngine(name, "jvector", "search-beam", efforts(o, name, beams), 1);
          case "jvector-incremental" ->
              new SpiEngine(name, "jvector", "search-beam", efforts(o, name, beams), 10);
          case "raw-lucene" -> new RawLucene(efforts(o, name, k));
          case "raw-jvector" -> new RawJVector(efforts(o, name, beams));
          default ->
              throw new IllegalArgumentException(
                  "Unknown engine '" + name + "'; known: " + String.join(",", ENGINES));
        };
    if (smoke && e.efforts().size() > 2) {
      List<String> ends = List.of(e.efforts().get(0), e.efforts().get(e.efforts().size() - 1));
      return restricted(e, ends);
    }
    return e;
  }

  private static List<String> efforts(Map<String, String> o, String engine, List<String> dflt) {
    String v = o.get("effort." + engine);
    return v == null ? dflt : Arrays.asList(v.split(","));
  }

  private static Engine restricted(Engine e, List<String> efforts) {
    return switch (e) {
      case SpiEngine s -> s.withEfforts(efforts);
      case RawLucene r -> new RawLucene(efforts);
      case RawJVector r -> new RawJVector(efforts);
      default -> e;
    };
  }

  /** The options as a map (flags map to "true"), or null for {@code --help}. */
  static Map<String, String> parse(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("args", String.join(" ", args));
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          return null;
        }
        case "--smoke" -> o.put("smoke", "true");
        case "--size", "--queries", "--data", "--out", "--engines", "--dim", "--seed" -> {
          if (i + 1 >= args.length)
            throw new IllegalArgumentException("Option " + a + " needs a value.\n" + usage());
          o.put(a.substring(2), args[++i]);
        }
        case "--effort" -> {
          String spec = i + 1 < args.length ? args[++i] : "";
          int eq = spec.indexOf('=');
          if (eq < 1 || eq == spec.length() - 1)
            throw new IllegalArgumentException(
                "--effort " + spec + " is not ENGINE=v1,v2 (e.g. lucene=1,10,30).");
          o.put("effort." + spec.substring(0, eq), spec.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("Unknown option '" + a + "'.\n" + usage());
      }
    }
    o.putIfAbsent("data", "clip");
    return o;
  }

  static String usage() {
    return String.join(
        "\n",
        "Usage: ParityHarness [--smoke] [--size 100000] [--data clip|strong-gap] [--queries 500]",
        "                     [--engines " + String.join(",", ENGINES) + "]",
        "                     [--effort ENGINE=v1,v2,...] [--out DIR] [--dim 512] [--seed 42]",
        "  --smoke   2,000 vectors, 40 queries, two knob values per engine (CI: rows, not speed)");
  }
}
