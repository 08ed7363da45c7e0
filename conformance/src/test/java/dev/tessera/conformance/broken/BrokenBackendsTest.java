package dev.tessera.conformance.broken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.conformance.ConformanceRunner;
import dev.tessera.conformance.VectorStoreConformance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit proves its strength: it fails every deliberately broken backend, in the tests that should
 * catch it.
 */
class BrokenBackendsTest {

  /**
   * The whole kit with small recall and concurrency sizes, bound to the broken provider under test.
   */
  static final class SmallKit extends VectorStoreConformance {
    static volatile VectorStoreProvider provider;

    @Override
    protected VectorStoreProvider provider() {
      return provider;
    }

    @Override
    protected int recallCorpusSize() {
      return 400;
    }

    @Override
    protected int recallQueryCount() {
      return 20;
    }

    @Override
    protected int concurrentOperations() {
      return 80;
    }
  }

  static Stream<Arguments> brokenBackends() {
    return KitProof.caughtBy().entrySet().stream()
        .map(e -> Arguments.of(e.getKey().getSimpleName(), e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenBackends")
  void should_fail_a_broken_backend_in_the_tests_that_catch_it(
      String name, Class<? extends VectorStoreProvider> broken, List<String> catchers)
      throws Exception {
    // given a backend that breaks one rule
    SmallKit.provider = broken.getDeclaredConstructor().newInstance();
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    // when the kit runs against it
    ConformanceRunner.Summary summary;
    try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
      summary = ConformanceRunner.run(SmallKit.class, out);
    } finally {
      SmallKit.provider = null;
    }
    String text = report.toString(StandardCharsets.UTF_8);
    System.out.println(
        "[broken backend " + name + "] failed kit tests: " + summary.failedMethods());
    // then the kit rejects it, naming the tests that catch the broken rule
    assertThat(summary.successful())
        .as("the kit must fail %s; its report:%n%s", name, text)
        .isFalse();
    assertThat(summary.exitCode()).isEqualTo(1);
    assertThat(summary.failedMethods())
        .as("kit tests that fail %s; report:%n%s", name, text)
        .containsAll(catchers);
    for (String c : catchers) assertThat(text).contains("FAIL  " + c);
  }
}
