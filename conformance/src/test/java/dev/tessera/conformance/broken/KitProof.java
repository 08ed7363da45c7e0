package dev.tessera.conformance.broken;

import dev.tessera.conformance.VectorStoreConformance;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What proves the kit: every broken backend with the kit tests that must fail it (the union of each
 * file's {@code caughtBy()} map), and every test the kit runs.
 */
final class KitProof {
  /** Every file of broken backends run on the whole kit; a new file plugs in with one line here. */
  static final List<Supplier<Map<Class<? extends BrokenProviders.Wrapping>, List<String>>>>
      SOURCES =
          List.of(
              BrokenProviders::caughtBy,
              FidelityBrokenProviders::caughtBy,
              CoverageBrokenProviders::caughtBy,
              IntegrityBrokenProviders::caughtBy,
              FilterBrokenProviders::caughtBy);

  private KitProof() {}

  /** Every broken backend and the kit tests that must fail it, in the order of {@link #SOURCES}. */
  static Map<Class<? extends BrokenProviders.Wrapping>, List<String>> caughtBy() {
    Map<Class<? extends BrokenProviders.Wrapping>, List<String>> all = new LinkedHashMap<>();
    for (var source : SOURCES) {
      source
          .get()
          .forEach(
              (broken, tests) -> {
                if (all.put(broken, tests) != null)
                  throw new IllegalStateException(broken + " is listed by two caughtBy() maps");
              });
    }
    return all;
  }

  /**
   * Every test method the kit runs (a JUnit {@code @Testable} method: {@code @Test}, {@code
   * ParameterizedTest}, …), by the contract class that declares it, both sorted by name.
   */
  static Map<String, Set<String>> kitTests() {
    Map<String, Set<String>> byPart = new TreeMap<>();
    for (Class<?> c = VectorStoreConformance.class; c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (AnnotationSupport.isAnnotated(m, Testable.class))
          byPart.computeIfAbsent(c.getSimpleName(), k -> new TreeSet<>()).add(m.getName());
      }
    }
    return byPart;
  }

  /** Kit test to the simple names of the broken backends that must fail it. */
  static Map<String, List<String>> failedBy() {
    Map<String, List<String>> out = new TreeMap<>();
    caughtBy()
        .forEach(
            (broken, tests) -> {
              for (String t : tests)
                out.computeIfAbsent(t, k -> new ArrayList<>()).add(broken.getSimpleName());
            });
    out.values().forEach(Collections::sort);
    return out;
  }

  /** The README's table: one row per kit test, by part, with the broken backends that fail it. */
  static String table() {
    Map<String, List<String>> failedBy = failedBy();
    StringBuilder b = new StringBuilder();
    b.append("| part | kit test | broken backends that fail it |\n|---|---|---|\n");
    kitTests()
        .forEach(
            (part, tests) -> {
              for (String t : tests)
                b.append("| `")
                    .append(part)
                    .append("` | `")
                    .append(t)
                    .append("` | ")
                    .append(String.join(", ", failedBy.getOrDefault(t, List.of("**none**"))))
                    .append(" |\n");
            });
    return b.toString();
  }
}
