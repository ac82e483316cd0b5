package org.dtrain.coordinator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which worker hosts which shards. Worker w of K gets the contiguous block of shard ids
 * [floor(w S / K), floor((w + 1) S / K)): every worker gets S/K shards, give or take one, and blocks
 * keep aligned subtrees of the reduction tree together, so workers send few partials.
 */
public final class ShardAssignment {
  private ShardAssignment() {}

  /** @return worker id to its shard ids, in the order of {@code workers} */
  public static Map<String, List<Integer>> evenly(int shards, List<String> workers) {
    int k = workers.size();
    if (k == 0) throw new IllegalArgumentException("no workers to assign " + shards + " shards to");
    if (shards < k) {
      throw new IllegalArgumentException("--shards " + shards + " is fewer than the " + k
          + " workers: every worker needs a shard");
    }
    Map<String, List<Integer>> out = new LinkedHashMap<>();
    for (int w = 0; w < k; w++) {
      int from = (int) ((long) w * shards / k);
      int to = (int) ((long) (w + 1) * shards / k);
      List<Integer> ids = new ArrayList<>();
      for (int s = from; s < to; s++) ids.add(s);
      out.put(workers.get(w), List.copyOf(ids));
    }
    return out;
  }
}
