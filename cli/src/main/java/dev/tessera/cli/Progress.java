package dev.tessera.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with rate and ETA on an interactive terminal (on stderr), nothing when output is
 * redirected.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  static Progress start(String task, long max, String unit) {
    if (!interactive() || max <= 0) return new Progress(null);
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(max)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" " + unit, 1)
            .showSpeed()
            .setUpdateIntervalMillis(250)
            .build();
    return new Progress(bar);
  }

  /**
   * Whether a person is watching: a console that is a terminal. From JDK 22 {@code
   * System.console()} is not null when output is redirected, so {@code Console.isTerminal()} (JDK
   * 22+, called reflectively as the build targets 21) decides; on 21 a console means a terminal.
   */
  static boolean interactive() {
    java.io.Console c = System.console();
    if (c == null) return false;
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (NoSuchMethodException jdk21) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  void stepTo(long n) {
    if (bar != null) bar.stepTo(n);
  }

  void stepBy(long n) {
    if (bar != null) bar.stepBy(n);
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
