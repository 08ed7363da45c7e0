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
 * JVector) as rows of one run, same data, same queries, one search thread (or --threads client
 * threads), recall@10 against the exact oracle, each knob swept; prints QPS at recall ≥ 0.95 / 0.99
 * / 0.999 and build rate of each store over its raw library. Run with {@code --help} for the
 * options.
 */
public final class ParityHarness {
  private ParityHarness() {}

  /** The rows a run can have, in run order. */
  static final List<String> ENGINES =
      List.of(
          "memory",
          "raw-lucene",
          "raw-lucene-seeded",
          "lucene",
          "lucene-incremental",
          "raw-jvector",
          "jvector",
          "jvector-incremental",
          "jvector-exact-below");

  /**
   * Rows a run has only when {@code --engines} names them: the {@code cassandra} store on real
   * Cassandra 5.0 nodes the row starts (one, or three with replication factor 3), minutes each.
   */
  static final List<String> SERVER_ENGINES = List.of("cassandra-1node", "cassandra-3node");

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
            Long.parseLong(o.getOrDefault("seed", "42")),
            selectivities(o));
    if (o.containsKey("cases")) data = data.onlyCases(Arrays.asList(o.get("cases").split(",")));
    ParityRunner runner = new ParityRunner(data, threads(o));
    Path work = Files.createTempDirectory("tessera-parity");
    List<ParityPoint> points = new ArrayList<>();
    try {
      for (String name : o.getOrDefault("engines", String.join(",", ENGINES)).split(",")) {
        List<ParityPoint> done = new ArrayList<>(points);
        List<ParityPoint> row =
            runner.measure(
                engine(name.trim(), smoke, o),
                work,
                p -> { // after every point: a stopped run keeps what it measured
                  done.add(p);
                  writeQuietly(out, env, done);
                });
        points.addAll(row);
        ParityReport.write(out, env, points);
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

  private static void writeQuietly(Path out, Map<String, String> env, List<ParityPoint> points) {
    try {
      ParityReport.write(out, env, points);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Could not write results into " + out, e);
    }
  }

  private static List<Integer> threads(Map<String, String> o) {
    return Arrays.stream(o.getOrDefault("threads", "1").split(","))
        .map(String::trim)
        .map(Integer::valueOf)
        .toList();
  }

  private static double[] selectivities(Map<String, String> o) {
    String v = o.get("selectivities");
    if (v == null) return ParityData.SELECTIVITIES;
    return Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
  }

  private static Engine engine(String name, boolean smoke, Map<String, String> o) {
    List<String> beams = List.of("10", "20", "40", "100", "200");
    List<String> overQuery = List.of("1", "10", "30", "90", "190"); // walks of 11..200
    List<String> k = List.of("11", "20", "40", "100", "200");
    List<String> cassandraBeams = List.of("100", "300", "1000"); // 1000 is the store's default
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
          case "jvector-exact-below" -> // the filter fallback: always walk (0) vs always exact
              new SpiEngine(
                  name,
                  "jvector",
                  "exact-search-below",
                  efforts(o, name, List.of("0", Integer.toString(Integer.MAX_VALUE))),
                  1);
          case "raw-lucene" -> new RawLucene(efforts(o, name, k));
          case "raw-lucene-seeded" -> new RawLucene(efforts(o, name, k), true);
          case "raw-jvector" -> new RawJVector(efforts(o, name, beams));
          case "cassandra-1node" -> new CassandraEngine(name, 1, efforts(o, name, cassandraBeams));
          case "cassandra-3node" -> new CassandraEngine(name, 3, efforts(o, name, cassandraBeams));
          default ->
              throw new IllegalArgumentException(
                  "Unknown engine '"
                      + name
                      + "'; known: "
                      + String.join(",", ENGINES)
                      + ","
                      + String.join(",", SERVER_ENGINES));
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
      case RawLucene r -> new RawLucene(efforts, r.label().endsWith("seeded"));
      case RawJVector r -> new RawJVector(efforts);
      case CassandraEngine c -> c.withEfforts(efforts);
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
        case "--size",
            "--queries",
            "--data",
            "--out",
            "--engines",
            "--dim",
            "--seed",
            "--cases",
            "--threads",
            "--selectivities" -> {
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
        "                     [--cases unfiltered,modality=image,rank<1%,...]",
        "                     [--selectivities 0.001,0.01,0.1,0.5] [--threads 1,4]",
        "  --engines also " + String.join(",", SERVER_ENGINES) + " (not in the default run):",
        "            the cassandra store on 1 node, or 3 nodes with replication factor 3, that the",
        "            row starts (Java 17) and stops; -Dtessera.cassandra.heapMb sets each node's"
            + " heap",
        "  --threads  client thread counts; each point is measured at each, every thread issuing",
        "            every query (QPS: all queries over the wall time); default 1",
        "  --cases   measure only the named cases (the oracle too); default all",
        "  --selectivities  the metadata filters' shares of the corpus (cases rank<P%)",
        "  jvector-exact-below  the jvector store with exact-search-below 0 (always walk the",
        "            graph) and " + Integer.MAX_VALUE + " (always score the matches exactly)",
        "  --smoke   2,000 vectors, 40 queries, two knob values per engine (CI: rows, not speed)");
  }
}
