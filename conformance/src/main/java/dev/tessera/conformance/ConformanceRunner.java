package dev.tessera.conformance;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.api.spi.VectorStores;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the conformance kit programmatically (JUnit Platform Launcher) and prints a report: one line
 * per test (passed, failed with its message, or skipped with the reason), then the totals.
 *
 * <pre>{@code
 * ConformanceRunner.Summary s = ConformanceRunner.runStore("lucene", Map.of(), System.out);
 * System.exit(s.exitCode());
 * }</pre>
 *
 * From a shell: {@code java -cp ... dev.tessera.conformance.ConformanceRunner --store NAME
 * [--setting key=value]... [--min-recall 0.95]}.
 */
public final class ConformanceRunner {
  private static final ReentrantLock ONE_RUN_AT_A_TIME = new ReentrantLock();
  private static final int MAX_MESSAGE = 1500;

  private ConformanceRunner() {}

  /** How one kit test ended. */
  public enum Status {
    /** The store honoured this part of the contract. */
    PASSED,
    /** The store broke this part of the contract (or the test errored). */
    FAILED,
    /** Not run: the store declared it lacks the capability (the message names the hook). */
    SKIPPED
  }

  /**
   * One kit test's outcome.
   *
   * @param method the kit method, e.g. {@code should_break_score_ties_by_ascending_id}
   * @param name the method plus the parameters of a parameterized run, e.g. {@code should_…
   *     [dim=64, cosine]}
   * @param message the failure message or the skip reason; empty when passed
   */
  public record Result(String method, String name, Status status, String message) {}

  /** The outcome of one run: every test's result, in execution order. */
  public record Summary(String target, List<Result> results) {
    /** Copies the results. */
    public Summary {
      results = List.copyOf(results);
    }

    /** How many tests ended with {@code status}. */
    public long count(Status status) {
      return results.stream().filter(r -> r.status() == status).count();
    }

    /** Whether every test passed or was skipped by a declared capability, and at least one ran. */
    public boolean successful() {
      return count(Status.FAILED) == 0 && count(Status.PASSED) > 0;
    }

    /** 0 when {@link #successful()}, 1 otherwise: for a command line. */
    public int exitCode() {
      return successful() ? 0 : 1;
    }

    /** The kit methods with at least one failed run, sorted. */
    public Set<String> failedMethods() {
      TreeSet<String> s = new TreeSet<>();
      for (Result r : results) if (r.status() == Status.FAILED) s.add(r.method());
      return Collections.unmodifiableSet(s);
    }

    /** The readable report: a line per test, failure messages indented, then totals. */
    public String report() {
      StringBuilder b = new StringBuilder("Tessera conformance kit: " + target + "\n");
      for (Result r : results) {
        b.append(
                switch (r.status()) {
                  case PASSED -> "  PASS  ";
                  case FAILED -> "  FAIL  ";
                  case SKIPPED -> "  SKIP  ";
                })
            .append(r.name())
            .append('\n');
        if (!r.message().isEmpty()) {
          for (String line : r.message().split("\n"))
            b.append("          ").append(line).append('\n');
        }
      }
      b.append(
          String.format(
              "%d passed, %d failed, %d skipped: %s%n",
              count(Status.PASSED),
              count(Status.FAILED),
              count(Status.SKIPPED),
              successful() ? "the store conforms" : "the store does NOT conform"));
      return b.toString();
    }
  }

  /** Runs the kit against the store provider named {@code storeName} (found with ServiceLoader). */
  public static Summary runStore(String storeName, Map<String, String> settings, PrintStream out) {
    return runProvider(VectorStores.provider(storeName), settings, 0.95, out);
  }

  /** Runs the kit against {@code provider} with these settings and recall threshold. */
  public static Summary runProvider(
      VectorStoreProvider provider,
      Map<String, String> settings,
      double minimumRecall,
      PrintStream out) {
    ONE_RUN_AT_A_TIME.lock();
    try {
      ProviderConformance.target =
          new ProviderConformance.Target(provider, Map.copyOf(settings), minimumRecall);
      return run(
          ProviderConformance.class,
          "store '"
              + provider.name()
              + "' ("
              + provider.getClass().getName()
              + ")"
              + (settings.isEmpty() ? "" : " settings " + settings)
              + ", minimum recall "
              + minimumRecall,
          out);
    } finally {
      ProviderConformance.target = null;
      ONE_RUN_AT_A_TIME.unlock();
    }
  }

  /**
   * Runs the kit against {@code provider} and returns the report as plain maps and lists, so a
   * caller that loads the kit in a class loader of its own (the CLI keeps the kit and JUnit out of
   * its jar) reads it with one reflective call: {@code store}, {@code target}, {@code settings},
   * {@code minimumRecall}, {@code conforms}, {@code passed}, {@code failed}, {@code skipped},
   * {@code results} ({@code test}, {@code method}, {@code status}, {@code message}) and {@code
   * exitCode}.
   */
  public static Map<String, Object> report(
      VectorStoreProvider provider,
      Map<String, String> settings,
      double minimumRecall,
      PrintStream out) {
    Summary s = runProvider(provider, settings, minimumRecall, out);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("store", provider.name());
    d.put("target", s.target());
    d.put("settings", settings);
    d.put("minimumRecall", minimumRecall);
    d.put("conforms", s.successful());
    d.put("passed", s.count(Status.PASSED));
    d.put("failed", s.count(Status.FAILED));
    d.put("skipped", s.count(Status.SKIPPED));
    List<Map<String, Object>> results = new ArrayList<>();
    for (Result r : s.results()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("test", r.name());
      e.put("method", r.method());
      e.put("status", r.status().name());
      e.put("message", r.message());
      results.add(e);
    }
    d.put("results", results);
    d.put("exitCode", s.exitCode());
    return d;
  }

  /** Runs a kit subclass (a backend's own {@code extends VectorStoreConformance} class). */
  public static Summary run(Class<? extends VectorStoreConformance> kit, PrintStream out) {
    return run(kit, kit.getName(), out);
  }

  private static Summary run(Class<?> kit, String target, PrintStream out) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(kit))
            .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
            .build();
    Launcher launcher = LauncherFactory.create();
    Collector collector = new Collector();
    launcher.execute(request, collector);
    List<Result> results = new ArrayList<>(collector.results.values());
    if (collector.containerFailure != null) results.add(collector.containerFailure);
    Summary summary = new Summary(target, results);
    if (out != null) {
      out.print(summary.report());
      out.flush();
    }
    return summary;
  }

  /**
   * Collects one result per test, plus a failure of the class itself (e.g. a failing constructor).
   */
  private static final class Collector implements TestExecutionListener {
    final Map<String, Result> results = new LinkedHashMap<>();
    Result containerFailure;

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
      results.put(
          id.getUniqueId(),
          new Result(method(id), name(id), Status.SKIPPED, reason == null ? "" : reason));
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      String message =
          result
              .getThrowable()
              .map(
                  t ->
                      result.getStatus() == TestExecutionResult.Status.ABORTED
                          ? String.valueOf(t.getMessage())
                          : describe(t))
              .orElse("");
      if (!id.isTest()) {
        if (result.getStatus() == TestExecutionResult.Status.FAILED && containerFailure == null) {
          containerFailure =
              new Result(id.getDisplayName(), id.getDisplayName(), Status.FAILED, message);
        }
        return;
      }
      Status s =
          switch (result.getStatus()) {
            case SUCCESSFUL -> Status.PASSED;
            case ABORTED -> Status.SKIPPED;
            case FAILED -> Status.FAILED;
          };
      results.put(id.getUniqueId(), new Result(method(id), name(id), s, message));
    }

    private static String method(TestIdentifier id) {
      return id.getSource()
          .filter(MethodSource.class::isInstance)
          .map(src -> ((MethodSource) src).getMethodName())
          .orElse(id.getDisplayName());
    }

    private static String name(TestIdentifier id) {
      String m = method(id);
      String d = id.getDisplayName();
      return d.startsWith(m + "(") || d.equals(m) ? m : m + " [" + d + "]";
    }
  }

  private static String describe(Throwable t) {
    String m =
        t.getClass().getSimpleName()
            + ": "
            + (t.getMessage() == null ? "" : t.getMessage().strip());
    if (t.getCause() != null && t.getCause() != t && !(t instanceof AssertionError)) {
      m +=
          "\ncaused by "
              + t.getCause().getClass().getSimpleName()
              + ": "
              + t.getCause().getMessage();
    }
    return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + " …" : m;
  }

  /**
   * Command line: {@code --store NAME [--setting key=value]... [--min-recall 0.95]}; exits 0 when
   * the store conforms.
   */
  public static void main(String[] args) {
    String store = null;
    Map<String, String> settings = new LinkedHashMap<>();
    double minRecall = 0.95;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--store" -> store = value(args, ++i, "--store");
        case "--setting" -> {
          String kv = value(args, ++i, "--setting");
          int eq = kv.indexOf('=');
          if (eq <= 0) usage("--setting needs key=value, got '" + kv + "'.");
          settings.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        case "--min-recall" -> {
          try {
            minRecall = Double.parseDouble(value(args, ++i, "--min-recall"));
          } catch (NumberFormatException e) {
            usage("--min-recall needs a number such as 0.95, got '" + args[i] + "'.");
          }
        }
        default -> usage("Unknown argument '" + args[i] + "'.");
      }
    }
    if (store == null)
      usage("Name the store to check with --store (available: " + VectorStores.names() + ").");
    VectorStoreProvider provider;
    try {
      provider = VectorStores.provider(store);
    } catch (dev.tessera.api.UnknownProviderException e) {
      usage(e.getMessage());
      return;
    }
    System.exit(runProvider(provider, settings, minRecall, System.out).exitCode());
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) usage(option + " needs a value.");
    return args[i];
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "usage: ConformanceRunner --store NAME [--setting key=value]... [--min-recall 0.95]");
    System.exit(2);
  }
}
