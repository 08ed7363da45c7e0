package dev.tessera.cli;

import java.io.PrintStream;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root {@code tessera} command; it only groups the subcommands. */
@Command(
    name = "tessera",
    mixinStandardHelpOptions = true,
    version = "tessera 0.1.0-SNAPSHOT",
    description =
        "Multi-modal vector search: index images and texts with one CLIP model, search them by text"
            + " or image.",
    subcommands = {
      IndexCommand.class,
      SearchCommand.class,
      InfoCommand.class,
      ReindexCommand.class,
      ConformanceCommand.class,
      DemoCommand.class,
      AutoComplete.GenerateCompletion.class
    })
public final class TesseraCommand implements Runnable {
  final PrintStream out;
  final PrintStream err;

  @Option(
      names = "--verbose",
      scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Log progress details and print stack traces on errors.")
  boolean verbose;

  TesseraCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(out);
  }
}
