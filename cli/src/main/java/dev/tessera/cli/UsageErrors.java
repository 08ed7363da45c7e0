package dev.tessera.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns a command-line mistake into two lines on stderr, exit 2: what was wrong (with the nearest
 * option or command when something was misspelt) and where the usage is. A misspelt option is
 * reported before the required option it was meant to be.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
  /** Exit status of a command-line mistake. */
  static final int USAGE = 2;

  private final PrintStream err;

  UsageErrors(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    CommandSpec spec = cmd.getCommandSpec();
    String name = spec.qualifiedName();
    err.println("tessera: " + problem(ex, cmd, spec, name));
    err.println("Run '" + name + " --help' for usage.");
    return USAGE;
  }

  private static String problem(
      ParameterException ex, CommandLine cmd, CommandSpec spec, String name) {
    List<String> unmatched =
        ex instanceof UnmatchedArgumentException u ? u.getUnmatched() : cmd.getUnmatchedArguments();
    for (String arg : unmatched) {
      if (arg.startsWith("-") && arg.length() > 1) {
        String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        return "Unknown option '"
            + option
            + "' for '"
            + name
            + "'."
            + Suggestions.didYouMean(option, optionNames(spec));
      }
    }
    if (!unmatched.isEmpty()) {
      String first = unmatched.get(0);
      if (!spec.subcommands().isEmpty() && spec.parent() == null) {
        return "Unknown command '"
            + first
            + "'."
            + Suggestions.didYouMean(first, spec.subcommands().keySet())
            + " Commands: "
            + String.join(", ", spec.subcommands().keySet())
            + ".";
      }
      return "Unexpected argument '" + first + "' for '" + name + "'.";
    }
    return ex.getMessage();
  }

  private static List<String> optionNames(CommandSpec spec) {
    List<String> names = new ArrayList<>();
    for (OptionSpec o : spec.options()) names.addAll(List.of(o.names()));
    return names;
  }
}
