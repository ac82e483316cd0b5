package org.dtrain.scale.predict;

import java.util.List;
import java.util.TreeSet;

/**
 * How {@link ComputeProfile#measure} times the real code: the shard row counts to time, and per
 * timing the untimed warm-up and the timed repeats whose median counts. The warm-up runs for at
 * least {@code warmupMillis} and at least {@code warmups} times: the JIT compiles a flat loop over
 * a few hundred thousand floats only after some dozens of calls (before that it runs about 3 times
 * slower), while one call of a big model's step is long enough on its own.
 *
 * @param rows the row counts r at which one shard's gradient is timed; at least two different ones
 * @param warmups the fewest untimed runs before a timing
 * @param warmupMillis the shortest untimed warm-up before a timing, in milliseconds
 * @param repeats timed runs; the median is kept
 */
public record MeasureOptions(List<Integer> rows, int warmups, long warmupMillis, int repeats) {
  public MeasureOptions {
    rows = List.copyOf(new TreeSet<>(rows));
    if (rows.size() < 2) {
      throw new IllegalArgumentException("expected at least two different row counts to fit "
          + "c(r) = a + b r, found " + rows);
    }
    if (rows.get(0) < 1) {
      throw new IllegalArgumentException("expected row counts of at least 1, found " + rows);
    }
    if (warmups < 0 || warmupMillis < 0 || repeats < 1) {
      throw new IllegalArgumentException("expected warmups >= 0, warmupMillis >= 0 and repeats "
          + ">= 1, found " + warmups + ", " + warmupMillis + " and " + repeats);
    }
  }

  /**
   * Row counts around the {@code rowsPerShard} the predictions need (r/4, r/2, r, 2r, 4r, at least
   * 1): the line is fitted where it is used. At least 3 warm-up runs and 300 ms, then 15 repeats.
   */
  public static MeasureOptions around(int rowsPerShard) {
    int r = Math.max(1, rowsPerShard);
    return new MeasureOptions(List.of(Math.max(1, r / 4), Math.max(1, r / 2), r, 2 * r, 4 * r),
        3, 300, 15);
  }
}
