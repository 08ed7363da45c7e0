package dev.tessera.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the numbers were measured on: CPU model, cores, JDK, load average, and a measured clock.
 * {@code java dev.tessera.bench.Machine} prints it all, including the calibrated clock.
 */
public final class Machine {
  private Machine() {}

  /** Prints the machine description and the calibrated clock. */
  public static void main(String[] args) {
    describe().forEach((k, v) -> System.out.println(k + ": " + v));
    double[] ghz = calibratedGhz(7);
    System.out.printf(
        Locale.ROOT,
        "calibrated clock: median %.3f GHz (min %.3f, max %.3f over %d runs)%n",
        ghz[0],
        ghz[1],
        ghz[2],
        7);
  }

  /** CPU model, logical cores, cpuinfo MHz, JDK and OS, as an ordered map. */
  public static Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cpu", cpuinfo("model name"));
    m.put("cpuinfoMHz", cpuinfo("cpu MHz"));
    m.put("logicalCores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    m.put(
        "jdk",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    m.put("maxHeapMiB", Long.toString(Runtime.getRuntime().maxMemory() >> 20));
    return m;
  }

  /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown". */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String cpuinfo(String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String l : lines) {
        if (l.startsWith(key)) return l.substring(l.indexOf(':') + 1).trim();
      }
    } catch (IOException e) {
      // not Linux: fall through
    }
    return "unknown";
  }

  /**
   * The core clock in GHz from a loop whose body is a dependent chain of three one-cycle integer
   * operations (shift, add, xor), so it runs at three cycles per iteration on any out-of-order x86
   * or ARM core; returns {median, min, max} over {@code runs} timed runs of 200M iterations.
   */
  public static double[] calibratedGhz(int runs) {
    long iters = 200_000_000L;
    chain(iters / 10); // JIT warm-up
    chain(iters / 10);
    double[] ghz = new double[runs];
    for (int r = 0; r < runs; r++) {
      long t = System.nanoTime();
      long x = chain(iters);
      long ns = System.nanoTime() - t;
      if (x == 42) System.out.print(""); // keep x alive
      ghz[r] = 3.0 * iters / ns;
    }
    java.util.Arrays.sort(ghz);
    return new double[] {ghz[runs / 2], ghz[0], ghz[runs - 1]};
  }

  private static long chain(long iters) {
    long x = 1;
    for (long i = 0; i < iters; i++) {
      x = (x + (x >>> 3)) ^ i;
    }
    return x;
  }
}
