package org.dtrain.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr, shown only when a terminal is attached. */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** Null when not on a terminal (output piped or redirected). */
  static Progress start(long totalSteps) {
    if (System.console() == null) {
      return null;
    }
    return new Progress(new ProgressBarBuilder().setTaskName("train").setInitialMax(totalSteps)
        .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).setUpdateIntervalMillis(200)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build());
  }

  void step(long done) {
    bar.stepTo(done);
  }

  /** Lets an epoch line print cleanly over the bar. */
  void clearLine() {
    System.err.print("\r\033[K");
  }

  @Override
  public void close() {
    bar.close();
  }
}
