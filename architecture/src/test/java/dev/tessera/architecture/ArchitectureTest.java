package dev.tessera.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules over the production classes of every module. Each test first asserts that a
 * sane number of classes was imported, so no rule can pass on an empty import.
 */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tessera");
  }

  private static long count(String packagePrefix) {
    return production.stream().filter(c -> c.getPackageName().startsWith(packagePrefix)).count();
  }

  @Test
  void api_depends_only_on_the_jdk() {
    assertThat(count("dev.tessera.api")).as("api classes imported").isGreaterThanOrEqualTo(30);
    ArchitectureRules.API_DEPENDS_ONLY_ON_THE_JDK.check(production);
  }

  @Test
  void synthetic_depends_only_on_the_api() {
    assertThat(count("dev.tessera.synthetic"))
        .as("synthetic classes imported")
        .isGreaterThanOrEqualTo(3);
    ArchitectureRules.SYNTHETIC_DEPENDS_ONLY_ON_THE_API.check(production);
  }

  @Test
  void no_backend_encoder_or_adapter_module_imports_another() {
    assertThat(count("dev.tessera.conformance"))
        .as("conformance classes imported")
        .isGreaterThanOrEqualTo(5);
    assertThat(count("dev.tessera.index.lucene"))
        .as("lucene classes imported")
        .isGreaterThanOrEqualTo(3);
    assertThat(count("dev.tessera.index.jvector"))
        .as("jvector classes imported")
        .isGreaterThanOrEqualTo(3);
    assertThat(count("dev.tessera.index.cassandra"))
        .as("cassandra store classes imported")
        .isGreaterThanOrEqualTo(5);
    assertThat(count("dev.tessera.encoders.onnx"))
        .as("onnx encoder classes imported")
        .isGreaterThanOrEqualTo(8);
    assertThat(count("dev.tessera.langchain4j"))
        .as("langchain4j adapter classes imported")
        .isGreaterThanOrEqualTo(4);
    ArchitectureRules.BACKENDS_ARE_INDEPENDENT.check(production);
  }

  @Test
  void nothing_imports_bench_or_cli() {
    assertThat(count("dev.tessera.bench")).as("bench classes imported").isGreaterThanOrEqualTo(4);
    assertThat(count("dev.tessera.cli")).as("cli classes imported").isGreaterThanOrEqualTo(8);
    ArchitectureRules.NOTHING_IMPORTS_BENCH_OR_CLI.check(production);
  }

  @Test
  void only_cli_and_bench_start_cassandra_nodes() {
    assertThat(count("dev.tessera.cassandra.launcher"))
        .as("cassandra launcher classes imported")
        .isGreaterThanOrEqualTo(3);
    ArchitectureRules.ONLY_CLI_AND_BENCH_START_CASSANDRA.check(production);
  }

  @Test
  void packages_are_free_of_cycles() {
    assertThat(production.size()).as("classes imported").isGreaterThanOrEqualTo(100);
    ArchitectureRules.NO_PACKAGE_CYCLES.check(production);
  }
}
