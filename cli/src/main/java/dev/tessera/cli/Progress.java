package dev.tessera.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with rate and ETA on an interactive terminal, nothing when output is redirected.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  static Progress start(String task, long max, String unit) {
    if (System.console() == null || max <= 0) return new Progress(null);
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
