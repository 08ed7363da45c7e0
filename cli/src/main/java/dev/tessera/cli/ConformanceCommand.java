package dev.tessera.cli;

import dev.tessera.api.spi.VectorStores;
import dev.tessera.conformance.ConformanceRunner;
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
    description = "Run the conformance kit against a vector-store provider and print its report.")
final class ConformanceCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand TesseraCommand root;

  @Option(
      names = "--store",
      required = true,
      paramLabel = "NAME",
      description = "Store to test: ${COMPLETION-CANDIDATES}.",
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

  @Override
  public Integer call() {
    ConformanceRunner.Summary s =
        ConformanceRunner.runProvider(VectorStores.provider(store), settings, minRecall, root.out);
    return s.exitCode();
  }
}
