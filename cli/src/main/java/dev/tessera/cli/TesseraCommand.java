package dev.tessera.cli;

import java.io.PrintStream;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The root {@code tessera} command; it only groups the subcommands. Every command declares {@code
 * mixinStandardHelpOptions} ({@code -h}/{@code --help}, {@code -V}/{@code --version}), so help
 * works even where required options are missing; {@code tessera help CMD} is picocli's help
 * command, and {@code --verbose} is inherited.
 */
@Command(
    name = "tessera",
    mixinStandardHelpOptions = true,
    version = TesseraCommand.VERSION,
    description =
        "Multi-modal vector search: index images and texts with one CLIP model, search them by text"
            + " or image.",
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {
      "0:ok",
      "1:error (one line on stderr; --verbose adds the stack trace)",
      "2:usage error",
      "3:index skipped some files / reindex did not switch (see their help)",
      "130:interrupted"
    },
    footer = {"", "Run 'tessera help COMMAND' or 'tessera COMMAND --help' for its options."},
    subcommands = {
      IndexCommand.class,
      SearchCommand.class,
      InfoCommand.class,
      ReindexCommand.class,
      ServeCommand.class,
      ConformanceCommand.class,
      DemoCommand.class,
      AutoComplete.GenerateCompletion.class,
      HelpCommand.class
    })
public final class TesseraCommand implements Runnable {
  /** What {@code --version} prints, for every command. */
  static final String VERSION = "tessera 0.1.0-SNAPSHOT";

  final PrintStream out;
  final PrintStream err;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Log progress, and print the stack trace of an error.")
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
