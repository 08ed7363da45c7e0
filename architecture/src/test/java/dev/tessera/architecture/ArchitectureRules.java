package dev.tessera.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;

/** The architecture note's dependency rules, shared by the real check and its self-test. */
final class ArchitectureRules {
  private ArchitectureRules() {}

  /**
   * Modules that implement an SPI or adapt Tessera to another framework (langchain4j), and must not
   * know each other: an adapter sees the api only, so it works over every store. store-memory is
   * not one of them: it is the exact reference the kit's recall oracle runs on.
   */
  static final List<String> BACKENDS =
      List.of(
          "dev.tessera.index.lucene..",
          "dev.tessera.index.jvector..",
          "dev.tessera.index.cassandra..",
          "dev.tessera.encoders.onnx..",
          "dev.tessera.conformance..",
          "dev.tessera.langchain4j..");

  /**
   * api depends on the JDK only. jdk.incubator.vector is part of the JDK (the Panama kernels use
   * it, loaded reflectively only when the module is readable); it is the one named exception.
   */
  static final ArchRule API_DEPENDS_ONLY_ON_THE_JDK =
      classes()
          .that()
          .resideInAnyPackage("dev.tessera.api..", "dev.tessera")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "dev.tessera.api..", "jdk.incubator.vector..")
          .because("the api module must depend on nothing outside the JDK");

  /**
   * synthetic (the one home of seeded test data) depends on the api and the JDK only, so every
   * module's tests, the kit and the bench can use it without pulling in a store or the kit.
   */
  static final ArchRule SYNTHETIC_DEPENDS_ONLY_ON_THE_API =
      classes()
          .that()
          .resideInAPackage("dev.tessera.synthetic..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "dev.tessera.api..", "dev.tessera.synthetic..")
          .because("synthetic data is used by every module's tests and must depend on api only");

  /** No backend or encoder module imports another. */
  static final ArchRule BACKENDS_ARE_INDEPENDENT = backendsAreIndependent();

  /** Nothing imports bench or cli. */
  static final ArchRule NOTHING_IMPORTS_BENCH_OR_CLI =
      CompositeArchRule.of(
              noClasses()
                  .that()
                  .resideOutsideOfPackage("dev.tessera.bench..")
                  .should()
                  .dependOnClassesThat()
                  .resideInAPackage("dev.tessera.bench..")
                  .because("bench is a leaf: nothing may depend on benchmarks"))
          .and(
              noClasses()
                  .that()
                  .resideOutsideOfPackage("dev.tessera.cli..")
                  .should()
                  .dependOnClassesThat()
                  .resideInAPackage("dev.tessera.cli..")
                  .because("cli is a leaf: the library must not depend on its command line"));

  /**
   * The Cassandra launcher starts development and test nodes; a store must never need it at run
   * time (a user points the store at their own cluster), so only the command line and the bench may
   * use it outside tests.
   */
  static final ArchRule ONLY_CLI_AND_BENCH_START_CASSANDRA =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              "dev.tessera.cassandra.launcher..", "dev.tessera.cli..", "dev.tessera.bench..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.tessera.cassandra.launcher..")
          .because("stores talk to a cluster the user runs; only cli and bench start nodes");

  /** No cycles between packages. */
  static final ArchRule NO_PACKAGE_CYCLES =
      slices().matching("dev.tessera.(**)").should().beFreeOfCycles();

  private static ArchRule backendsAreIndependent() {
    List<ArchRule> rules = new ArrayList<>();
    for (String self : BACKENDS) {
      String[] others = BACKENDS.stream().filter(b -> !b.equals(self)).toArray(String[]::new);
      rules.add(
          noClasses()
              .that()
              .resideInAPackage(self)
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(others)
              .because("backend, encoder and adapter modules are independent of each other"));
    }
    CompositeArchRule all = CompositeArchRule.of(rules.get(0));
    for (ArchRule r : rules.subList(1, rules.size())) all = all.and(r);
    return all;
  }
}
