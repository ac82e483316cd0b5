package org.dtrain.coordinator;

import java.util.List;
import org.dtrain.nn.Parameters;

/**
 * Adds shard gradient sums in one fixed binary tree over shard ids 0..S-1: at stride 1, 2, 4, ...
 * partial[i] += partial[i + stride] for every i that is a multiple of 2·stride. The same additions in
 * the same order give the same bits, whatever order the partials arrived in (DESIGN.md).
 */
public final class ReductionTree {
  private ReductionTree() {}

  /** Reduces in place; the total ends in partials.get(0). */
  public static Parameters reduce(List<Parameters> partials) {
    int n = partials.size();
    for (int stride = 1; stride < n; stride *= 2) {
      for (int i = 0; i + stride < n; i += 2 * stride) {
        partials.get(i).add(partials.get(i + stride));
      }
    }
    return partials.get(0);
  }
}
