package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command, found by walking the command tree, prints its usage and exits 0 when asked. */
class HelpTest {
  /** Every command path below the root, e.g. [index], [help]. */
  static Stream<List<String>> commands() {
    List<List<String>> paths = new ArrayList<>();
    walk(
        Main.commandLine(new PrintStream(PrintStream.nullOutputStream()), System.err),
        List.of(),
        paths);
    return paths.stream();
  }

  private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
    for (var e : cl.getSubcommands().entrySet()) {
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      out.add(p);
      walk(e.getValue(), p, out);
    }
  }

  @Test
  void should_find_every_command() {
    assertThat(commands().map(p -> String.join(" ", p)))
        .containsExactlyInAnyOrder(
            "index",
            "search",
            "info",
            "reindex",
            "serve",
            "conformance",
            "demo",
            "generate-completion",
            "help");
  }

  @ParameterizedTest(name = "tessera {0} --help / -h / help {0}")
  @MethodSource("commands")
  void should_print_usage_and_exit_0(List<String> command) {
    String name = "tessera " + String.join(" ", command);
    List<String[]> asks = new ArrayList<>();
    for (String flag : new String[] {"--help", "-h"}) {
      List<String> a = new ArrayList<>(command);
      a.add(flag);
      asks.add(a.toArray(String[]::new));
    }
    List<String> viaHelp = new ArrayList<>(List.of("help"));
    viaHelp.addAll(command);
    asks.add(viaHelp.toArray(String[]::new));
    for (String[] args : asks) {
      CliTest.Run r = CliTest.tessera(args);
      assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
      assertThat(r.out()).as(String.join(" ", args)).contains("Usage: " + name + " ");
      assertThat(r.err()).as(String.join(" ", args)).isEmpty();
    }
  }

  @Test
  void should_print_the_root_usage_with_the_exit_statuses() {
    for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}, {}}) {
      CliTest.Run r = CliTest.tessera(args);
      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out())
          .startsWith("Usage: tessera ")
          .contains("index", "search", "info", "reindex", "conformance", "demo", "help")
          .contains("Exit status:")
          .contains("130");
    }
  }
}
