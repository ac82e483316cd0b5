package org.dtrain.cli;

import org.dtrain.coordinator.Reduction;
import picocli.CommandLine.Option;

/**
 * {@code --reduction star|tree} and {@code --fan-in F}: how the workers' partials reach the
 * coordinator. Neither changes a bit of the weights (the partials are added in the one fixed shard
 * tree either way); tree reduction cuts the bytes the coordinator receives.
 */
final class ReductionOptions {
  @Option(names = "--reduction", paramLabel = "star|tree", defaultValue = "star", description = {
      "How the workers' gradients reach the coordinator (default: ${DEFAULT-VALUE}). star: every worker sends its partial sums to the coordinator. tree: the workers form a tree of fan-in --fan-in and add their children's partials to their own in the fixed shard tree, so the coordinator receives one sum per step. Byte-identical weights either way.",
      "dtrain train only: dtrain coordinator (worker processes) takes star."})
  String reduction;
  @Option(names = "--fan-in", paramLabel = "F", defaultValue = "2", description = "With --reduction tree: at most F workers send their partials to one worker (default: ${DEFAULT-VALUE}, at least 2).")
  String fanIn;

  /** The reduction these flags ask for. @throws IllegalArgumentException naming the bad flag */
  Reduction reduction() {
    int f = fanIn();
    return switch (reduction) {
      case "star" -> Reduction.star();
      case "tree" -> Reduction.tree(f);
      default -> throw new IllegalArgumentException("--reduction: expected star or tree, found '"
          + reduction + "'");
    };
  }

  /** {@code --fan-in}, also with star (where only predictions use it). */
  int fanIn() {
    int f;
    try {
      f = Integer.parseInt(fanIn.trim());
    } catch (NumberFormatException e) {
      f = -1;
    }
    if (f < 2) {
      throw new IllegalArgumentException("--fan-in: expected a whole number of 2 or more, found '"
          + fanIn + "'");
    }
    return f;
  }
}
