package dev.tessera.cli;

import dev.tessera.api.spi.VectorStores;
import java.util.LinkedHashMap;
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
    Map<String, Object> report =
        ConformanceKit.report(
            VectorStores.provider(store), settings, minRecall, json ? null : root.out);
    int exit = (Integer) report.remove("exitCode");
    if (json) Json.print(root.out, report);
    return exit;
  }
}
