package org.dtrain.scale.predict;

import java.util.List;
import java.util.TreeSet;

/**
 * How {@link ComputeProfile#measure} times the real code: the shard row counts to time, and per
 * timing the untimed warm-up runs and the timed repeats whose median counts.
 *
 * @param rows the row counts r at which one shard's gradient is timed; at least two different ones
 * @param warmups untimed runs before each timing (JIT compilation, caches)
 * @param repeats timed runs; the median is kept
 */
public record MeasureOptions(List<Integer> rows, int warmups, int repeats) {
  public MeasureOptions {
    rows = List.copyOf(new TreeSet<>(rows));
    if (rows.size() < 2) {
      throw new IllegalArgumentException("expected at least two different row counts to fit "
          + "c(r) = a + b r, found " + rows);
    }
    if (rows.get(0) < 1) {
      throw new IllegalArgumentException("expected row counts of at least 1, found " + rows);
    }
    if (warmups < 0 || repeats < 1) {
      throw new IllegalArgumentException("expected warmups >= 0 and repeats >= 1, found "
          + warmups + " and " + repeats);
    }
  }

  /**
   * Row counts around the {@code rowsPerShard} the predictions need (r/4, r/2, r, 2r, 4r, at least
   * 1): the line is fitted where it is used. 3 warm-ups, 7 repeats.
   */
  public static MeasureOptions around(int rowsPerShard) {
    int r = Math.max(1, rowsPerShard);
    return new MeasureOptions(List.of(Math.max(1, r / 4), Math.max(1, r / 2), r, 2 * r, 4 * r),
        3, 7);
  }
}
