package dev.tessera.api.math;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the distance kernels once per JVM: the Panama Vector API kernels when {@code
 * jdk.incubator.vector} is readable, the scalar ones otherwise. A fall-back is logged once as a
 * warning with the reason and the fix; the choice itself is part of Tessera's one start-up line
 * ({@code TesseraRuntime}).
 *
 * <p>The system property {@code tessera.kernels} forces a choice: {@code scalar}, {@code panama}
 * (fails if unavailable) or {@code auto} (the default).
 */
public final class Kernels {
  /** System property that forces the kernel choice. */
  public static final String PROPERTY = "tessera.kernels";

  private static final System.Logger LOG = System.getLogger(Kernels.class.getName());

  private Kernels() {}

  // A holder class: the choice (and its log line) happens on first use, not when Kernels loads.
  private static final class Holder {
    static final VectorKernel KERNEL = choose();
  }

  /** The kernel chosen for this JVM. */
  public static VectorKernel get() {
    return Holder.KERNEL;
  }

  /** The scalar reference kernel. */
  public static VectorKernel scalar() {
    return ScalarKernel.INSTANCE;
  }

  /**
   * The Panama kernel, or the reason it is unavailable as an {@link UnsupportedOperationException}.
   * For tests and benchmarks that compare implementations.
   */
  public static VectorKernel panama() {
    String reason = panamaUnavailableReason();
    if (reason != null) throw new UnsupportedOperationException(reason);
    try {
      return (VectorKernel)
          Class.forName("dev.tessera.api.math.PanamaKernel").getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new UnsupportedOperationException("the Panama kernels failed to load: " + cause, e);
    }
  }

  private static String panamaUnavailableReason() {
    var module = ModuleLayer.boot().findModule("jdk.incubator.vector");
    if (module.isEmpty()) {
      return "the module jdk.incubator.vector is not in the boot layer";
    }
    if (!Kernels.class.getModule().canRead(module.get())) {
      return "module " + Kernels.class.getModule().getName() + " can not read jdk.incubator.vector";
    }
    return null;
  }

  private static VectorKernel choose() {
    String forced = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    switch (forced) {
      case "scalar" -> {
        LOG.log(
            Level.DEBUG, "Tessera distance kernels: scalar (forced by -D" + PROPERTY + "=scalar)");
        return ScalarKernel.INSTANCE;
      }
      case "panama" -> {
        VectorKernel k = panama();
        LOG.log(
            Level.DEBUG,
            "Tessera distance kernels: " + k.name() + " (forced by -D" + PROPERTY + "=panama)");
        return k;
      }
      case "auto" -> {}
      default ->
          throw new IllegalArgumentException(
              "-D" + PROPERTY + "=" + forced + " is not understood: use scalar, panama or auto.");
    }
    try {
      VectorKernel k = panama();
      LOG.log(Level.DEBUG, "Tessera distance kernels: " + k.name() + " (Panama Vector API)");
      return k;
    } catch (UnsupportedOperationException e) {
      LOG.log(
          Level.WARNING,
          "Tessera distance kernels: scalar, because "
              + e.getMessage()
              + ". For faster search run Java with --add-modules jdk.incubator.vector.");
      return ScalarKernel.INSTANCE;
    }
  }
}
