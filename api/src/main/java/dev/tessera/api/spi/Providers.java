package dev.tessera.api.spi;

import dev.tessera.api.UnknownProviderException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The providers of one SPI, found once with {@link ServiceLoader} (as Lucene's SPI loaders do) and
 * kept: a lookup by name is a map access, not a class-path scan. Names are validated when the
 * providers load: a provider whose name is not a short lower-case word is skipped with a warning
 * naming its class, and so is one that fails to load. {@link #reload(ClassLoader)} scans again, for
 * applications that add jars at run time.
 *
 * @param <T> the SPI type
 */
final class Providers<T> {
  private static final System.Logger LOG = System.getLogger(Providers.class.getName());
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
  private static final Map<Class<?>, Providers<?>> BY_TYPE = new ConcurrentHashMap<>();

  private final Class<T> type;
  private final String kind;
  private final Function<T, String> nameOf;
  private volatile Loaded<T> loaded;

  /** What one scan found: providers sorted by class name, and grouped by name. */
  private record Loaded<T>(List<T> all, Map<String, List<T>> byName) {}

  private Providers(Class<T> type, String kind, Function<T, String> nameOf) {
    this.type = type;
    this.kind = kind;
    this.nameOf = nameOf;
  }

  /** The loader of {@code type}'s providers, made on first use. */
  @SuppressWarnings("unchecked")
  static <T> Providers<T> of(Class<T> type, String kind, Function<T, String> nameOf) {
    return (Providers<T>) BY_TYPE.computeIfAbsent(type, t -> new Providers<>(type, kind, nameOf));
  }

  /** Every provider that loaded and has a valid name, sorted by class name. */
  List<T> all() {
    return loaded().all();
  }

  /** The names of the providers. */
  TreeSet<String> names() {
    return new TreeSet<>(loaded().byName().keySet());
  }

  /** Scans again with {@code classLoader} (and the api's own loader). */
  void reload(ClassLoader classLoader) {
    loaded = scan(classLoader);
  }

  private Loaded<T> loaded() {
    Loaded<T> l = loaded;
    if (l == null) {
      synchronized (this) {
        l = loaded;
        if (l == null) {
          l = scan(Thread.currentThread().getContextClassLoader());
          loaded = l;
        }
      }
    }
    return l;
  }

  /** Whether a ServiceLoader scan with {@code cl} also sees {@code other}'s providers. */
  private static boolean covers(ClassLoader cl, ClassLoader other) {
    if (cl == null) return other == null;
    for (ClassLoader l = cl; l != null; l = l.getParent()) if (l == other) return true;
    return false;
  }

  private Loaded<T> scan(ClassLoader cl) {
    Map<String, T> byClass = new LinkedHashMap<>();
    ClassLoader own = Providers.class.getClassLoader();
    // The api's own loader is scanned too, unless a scan of cl already covers it (the same loader
    // or one of its parents, as in a flat class path): one ServiceLoader scan per SPI, not two.
    for (ClassLoader loader :
        covers(cl, own) ? new ClassLoader[] {cl} : new ClassLoader[] {cl, own}) {
      if (loader == null) continue;
      var it = ServiceLoader.load(type, loader).iterator();
      while (true) {
        T p;
        try {
          if (!it.hasNext()) break;
          p = it.next();
        } catch (ServiceConfigurationError e) {
          LOG.log(
              Level.WARNING,
              "A "
                  + type.getSimpleName()
                  + " could not be loaded and is skipped: "
                  + e.getMessage());
          continue;
        }
        String name = nameOf.apply(p);
        if (name == null || !NAME.matcher(name).matches()) {
          LOG.log(
              Level.WARNING,
              "The "
                  + kind
                  + " "
                  + p.getClass().getName()
                  + " is skipped: its name '"
                  + name
                  + "' is not a short lower-case word (a-z, 0-9, '-', at most 32, starting with a"
                  + " letter). Its author must rename it.");
          continue;
        }
        byClass.putIfAbsent(p.getClass().getName(), p);
      }
    }
    List<T> all = new ArrayList<>(byClass.values());
    all.sort(Comparator.comparing(p -> p.getClass().getName()));
    Map<String, List<T>> byName = new LinkedHashMap<>();
    for (T p : all) byName.computeIfAbsent(nameOf.apply(p), n -> new ArrayList<>()).add(p);
    return new Loaded<>(List.copyOf(all), byName);
  }

  /**
   * The provider called {@code name}. Several with the same name: the system property {@code
   * classProperty} names the class to use, else the first by class name wins with a warning. An
   * unknown name fails with the names available, the nearest one first when it is a likely typo.
   */
  T byName(String name, String classProperty) {
    Loaded<T> l = loaded();
    List<T> matching = l.byName().get(name);
    if (matching == null || matching.isEmpty()) {
      TreeSet<String> names = new TreeSet<>(l.byName().keySet());
      String near = Names.nearest(name, names);
      throw new UnknownProviderException(
          "No "
              + kind
              + " called '"
              + name
              + "' is on the class path."
              + (near != null ? " Did you mean '" + near + "'?" : "")
              + " Available: "
              + (names.isEmpty() ? "none" : String.join(", ", names))
              + "."
              + (near != null
                  ? ""
                  : " Add the jar that provides '"
                      + name
                      + "' (e.g. tessera-index-"
                      + name
                      + " or tessera-encoders-"
                      + name
                      + ") or choose one of those."));
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
