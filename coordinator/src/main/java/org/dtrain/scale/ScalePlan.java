package org.dtrain.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The configurations of a scaling experiment: every worker count with every batch size.
 *
 * <p>Strong scaling keeps the global batch: each batch size is the global batch of every row, so
 * more workers share the same work. Weak scaling keeps the per-worker batch: each batch size is
 * what one worker computes, and the global batch grows with the workers. Every row uses the same
 * shard count, max(--shards, the most workers), so that rows of equal global batch train the very
 * same weights (the invariant, checked through {@code model_sha256}).
 *
 * @param mode strong or weak
 * @param workers worker counts, ascending, distinct
 * @param batchSizes batch sizes as given, distinct, in order
 * @param shards the shard count of every configuration
 */
public record ScalePlan(Mode mode, List<Integer> workers, List<Integer> batchSizes, int shards) {

  /** Strong: fixed global batch. Weak: fixed batch per worker. */
  public enum Mode { STRONG, WEAK }

  /** One configuration: this many workers, shards and rows per step. */
  public record Config(int workers, int shards, int globalBatch) {}

  public ScalePlan {
    workers = List.copyOf(workers);
    batchSizes = List.copyOf(batchSizes);
  }

  /**
   * @param shardsFlag the --shards the user gave (or its default); raised to the largest worker
   *     count so that every configuration has the same shards
   */
  public static ScalePlan of(Mode mode, List<Integer> workers, List<Integer> batchSizes,
      int shardsFlag) {
    List<Integer> w = new ArrayList<>(new TreeSet<>(workers));
    int most = w.get(w.size() - 1);
    return new ScalePlan(mode, w, new ArrayList<>(new java.util.LinkedHashSet<>(batchSizes)),
        Math.max(shardsFlag, most));
  }

  /** Every configuration: batch sizes in the order given, then workers ascending. */
  public List<Config> configs() {
    List<Config> out = new ArrayList<>();
    for (int b : batchSizes) {
      for (int k : workers) {
        out.add(new Config(k, shards, mode == Mode.STRONG ? b : b * k));
      }
    }
    return out;
  }

  /** The mode of {@code --mode}. */
  public static Mode mode(String text) {
    return switch (text) {
      case "strong" -> Mode.STRONG;
      case "weak" -> Mode.WEAK;
      default -> throw new IllegalArgumentException("--mode: expected strong or weak, found '"
          + text + "'");
    };
  }

  /**
   * A list of positive integers: {@code 1,2,4,8}, or a doubling range {@code 1..1024} (1, 2, 4, ...,
   * 1024), or both mixed ({@code 1,3,8..32}).
   *
   * @param flag named in the message of a bad list
   */
  public static List<Integer> parseList(String flag, String text, int max) {
    List<Integer> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String p = part.trim();
      int dots = p.indexOf("..");
      if (dots >= 0) {
        int from = positive(flag, p.substring(0, dots), text, max);
        int to = positive(flag, p.substring(dots + 2), text, max);
        if (to < from) {
          throw new IllegalArgumentException(flag + ": expected a range low..high, found '" + p
              + "' in '" + text + "'");
        }
        for (long k = from; k <= to; k *= 2) out.add((int) k);
        if (out.get(out.size() - 1) != to) out.add(to);
      } else {
        out.add(positive(flag, p, text, max));
      }
    }
    return out;
  }

  private static int positive(String flag, String p, String text, int max) {
    try {
      int v = Integer.parseInt(p.trim());
      if (v >= 1 && v <= max) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + ": expected whole numbers from 1 to " + max
        + " separated by commas (or a range like 1..64), found '" + p + "' in '" + text + "'");
  }
}
