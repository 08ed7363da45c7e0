package dev.tessera.cassandra.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A JVM that started a node and is then killed -9 (an aborted test run) leaves no server behind.
 */
class OrphanTest {
  private static final Pattern NODE_LINE = Pattern.compile("pid (\\d+)\\s+log (\\S+)");

  @Test
  void the_server_exits_when_the_jvm_that_launched_it_is_killed() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process launcher =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CassandraDev.class.getName())
            .redirectErrorStream(true)
            .start();
    long serverPid = -1;
    Path log = null;
    StringBuilder seen = new StringBuilder();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; serverPid < 0 && (line = out.readLine()) != null; ) {
        seen.append(line).append('\n');
        Matcher m = NODE_LINE.matcher(line);
        if (m.find()) {
          serverPid = Long.parseLong(m.group(1));
          log = Path.of(m.group(2));
        }
      }
      assertThat(serverPid).as("server pid printed by cassandra-dev:\n" + seen).isPositive();
      ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
      assertThat(server.isAlive()).isTrue();

      launcher.destroyForcibly(); // SIGKILL: no shutdown hook of the launcher runs
      launcher.waitFor();
      // Bounds a hang only: the server exits once it reads end of input on its stdin.
      server.onExit().get(120, TimeUnit.SECONDS);
      assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive))
          .isNotEqualTo(Optional.of(true));
    } finally {
      launcher.destroyForcibly();
      if (serverPid > 0) ProcessHandle.of(serverPid).ifPresent(ProcessHandle::destroyForcibly);
      if (log != null) CassandraNode.deleteTree(log.getParent().getParent());
    }
  }
}
