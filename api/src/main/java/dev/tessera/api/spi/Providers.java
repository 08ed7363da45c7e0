package dev.tessera.api.spi;

import dev.tessera.api.UnknownProviderException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/** ServiceLoader lookups shared by {@link VectorStores} and {@link Encoders}. */
final class Providers {
  private static final System.Logger LOG = System.getLogger(Providers.class.getName());

  private Providers() {}

  /** Every provider that loads; one that fails to load is logged with its error and skipped. */
  static <T> List<T> load(Class<T> type) {
    List<T> found = new ArrayList<>();
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    ServiceLoader<T> loader = cl == null ? ServiceLoader.load(type) : ServiceLoader.load(type, cl);
    var it = loader.iterator();
    while (true) {
      try {
        if (!it.hasNext()) break;
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        LOG.log(
            Level.WARNING,
            "A " + type.getSimpleName() + " could not be loaded and is skipped: " + e.getMessage());
      }
    }
    if (found.isEmpty() && cl != null && cl != Providers.class.getClassLoader()) {
      for (T t : ServiceLoader.load(type, Providers.class.getClassLoader())) found.add(t);
    }
    found.sort(Comparator.comparing(p -> p.getClass().getName()));
    return found;
  }

  /**
   * The provider called {@code name}. Several with the same name: the system property {@code
   * classProperty} names the class to use, else the first by class name wins with a warning.
   */
  static <T> T byName(
      Class<T> type, String kind, String name, Function<T, String> nameOf, String classProperty) {
    List<T> all = load(type);
    List<T> matching = new ArrayList<>();
    for (T p : all) {
      if (nameOf.apply(p).equals(name)) matching.add(p);
    }
    if (matching.isEmpty()) {
      TreeSet<String> names = new TreeSet<>();
      for (T p : all) names.add(nameOf.apply(p));
      throw new UnknownProviderException(
          "No "
              + kind
              + " called '"
              + name
              + "' is on the class path. Available: "
              + (names.isEmpty() ? "none" : String.join(", ", names))
              + ". Add the jar that provides '"
              + name
              + "' (e.g. tessera-index-"
              + name
              + " or tessera-encoders-"
              + name
              + ") or choose one of those.");
    }
    if (matching.size() == 1) return matching.get(0);
    String forced = System.getProperty(classProperty);
    if (forced != null) {
      for (T p : matching) {
        if (p.getClass().getName().equals(forced)) return p;
      }
      throw new UnknownProviderException(
          "-D"
              + classProperty
              + "="
              + forced
              + " names no "
              + kind
              + " called '"
              + name
              + "'; candidates: "
              + matching.stream().map(p -> p.getClass().getName()).toList());
    }
    LOG.log(
        Level.WARNING,
        "Several "
            + kind
            + "s are called '"
            + name
            + "': "
            + matching.stream().map(p -> p.getClass().getName()).toList()
            + "; using "
            + matching.get(0).getClass().getName()
            + ". Set -D"
            + classProperty
            + "=<class> to choose.");
    return matching.get(0);
  }
}
