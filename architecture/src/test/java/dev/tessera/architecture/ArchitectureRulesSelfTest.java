package dev.tessera.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each rule fails on a small fixture that breaks it, so a rule that can not fail is caught. */
class ArchitectureRulesSelfTest {
  private static JavaClasses fixtures;

  @BeforeAll
  static void importFixtures() {
    fixtures =
        new ClassFileImporter()
            .importPackages(
                "dev.tessera.api.archfixture",
                "dev.tessera.index.lucene.archfixture",
                "dev.tessera.index.jvector.archfixture",
                "dev.tessera.bench.archfixture",
                "dev.tessera.cli.archfixture",
                "dev.tessera.cycle",
                "dev.tessera.encoders.onnx.archfixture",
                "dev.tessera.conformance.archfixture",
                "dev.tessera.langchain4j.archfixture",
                "dev.tessera.synthetic.archfixture",
                "dev.tessera.index.cassandra.archfixture",
                "dev.tessera.cassandra.launcher.archfixture");
    assertThat(fixtures.size()).as("fixture classes").isEqualTo(13);
  }

  private static String violations(ArchRule rule) {
    EvaluationResult result = rule.evaluate(fixtures);
    assertThat(result.hasViolation())
        .as("rule must report the fixture's violation: " + rule.getDescription())
        .isTrue();
    return String.join("\n", result.getFailureReport().getDetails());
  }

  @Test
  void api_rule_fails_on_an_api_class_that_uses_junit() {
    assertThat(violations(ArchitectureRules.API_DEPENDS_ONLY_ON_THE_JDK))
        .contains("ApiUsingAThirdPartyLibrary")
        .contains("org.junit.jupiter.api.Test");
  }

  @Test
  void synthetic_rule_fails_on_synthetic_data_that_uses_the_kit() {
    assertThat(violations(ArchitectureRules.SYNTHETIC_DEPENDS_ONLY_ON_THE_API))
        .contains("SyntheticUsingTheKit")
        .contains("ConformanceMarker");
  }

  @Test
  void backend_rule_fails_on_lucene_using_jvector_and_langchain4j_using_lucene() {
    assertThat(violations(ArchitectureRules.BACKENDS_ARE_INDEPENDENT))
        .contains("LuceneUsingJVector")
        .contains("JVectorUsingCli")
        .contains("LangChain4jUsingLucene");
  }

  @Test
  void leaf_rule_fails_on_imports_of_bench_and_of_cli() {
    assertThat(violations(ArchitectureRules.NOTHING_IMPORTS_BENCH_OR_CLI))
        .contains("BenchMarker")
        .contains("CliMarker");
  }

  @Test
  void launcher_rule_fails_on_a_store_that_starts_a_node() {
    assertThat(violations(ArchitectureRules.ONLY_CLI_AND_BENCH_START_CASSANDRA))
        .contains("CassandraStoreStartingANode")
        .contains("LauncherMarker");
  }

  @Test
  void cycle_rule_fails_on_two_packages_that_use_each_other() {
    assertThat(violations(ArchitectureRules.NO_PACKAGE_CYCLES))
        .contains("cycle.a")
        .contains("cycle.b");
  }
}
