package dev.tessera.cli;

import dev.tessera.api.spi.VectorStores;
import dev.tessera.conformance.ConformanceRunner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tessera conformance --store NAME}: runs the conformance kit against a store on the class
 * path.
 */
@Command(
    name = "conformance",
    mixinStandardHelpOptions = true,
    version = TesseraCommand.VERSION,
    description = "Run the conformance kit against a vector-store provider and print its report.",
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {"0:the store conforms", "1:it does not (or an error)", "2:usage error"})
final class ConformanceCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand TesseraCommand root;

  @Option(
      names = "--store",
      required = true,
      paramLabel = "NAME",
      description = "Store to test: ${COMPLETION-CANDIDATES}.",
      converter = StoreNames.class,
      completionCandidates = StoreNames.class)
  String store;

  @Option(
      names = "--setting",
      paramLabel = "KEY=VALUE",
      description = "A store setting (repeatable).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--min-recall",
      defaultValue = "0.95",
      description = "Recall@10 the store must reach (default: ${DEFAULT-VALUE}).")
  double minRecall;

  @Option(
      names = "--json",
      description = "Print the report as JSON (schema in cli/README.md) instead of text.")
  boolean json;

  @Override
  public Integer call() {
    ConformanceRunner.Summary s =
        ConformanceRunner.runProvider(
            VectorStores.provider(store), settings, minRecall, json ? null : root.out);
    if (json) Json.print(root.out, document(s));
    return s.exitCode();
  }

  private Map<String, Object> document(ConformanceRunner.Summary s) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("store", store);
    d.put("target", s.target());
    d.put("settings", settings);
    d.put("minimumRecall", minRecall);
    d.put("conforms", s.successful());
    d.put("passed", s.count(ConformanceRunner.Status.PASSED));
    d.put("failed", s.count(ConformanceRunner.Status.FAILED));
    d.put("skipped", s.count(ConformanceRunner.Status.SKIPPED));
    List<Map<String, Object>> results = new ArrayList<>();
    for (ConformanceRunner.Result r : s.results()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("test", r.name());
      e.put("method", r.method());
      e.put("status", r.status().name());
      e.put("message", r.message());
      results.add(e);
    }
    d.put("results", results);
    return d;
  }
}
