package org.dtrain.coordinator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which worker hosts which shards. Worker w of K gets the contiguous block of shard ids
 * [floor(w S / K), floor((w + 1) S / K)): every worker gets S/K shards, give or take one, and blocks
 * keep aligned subtrees of the reduction tree together, so workers send few partials. When workers
 * come and go during a job, {@link #rebalance} evens the load again moving as few shards as it can.
 * Neither changes any bit of the result: the reduction tree is over shard ids, not workers.
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

  /**
   * The shards of {@code current} over the workers in {@code live}: every live worker ends with S/K
   * shards, give or take one; a worker keeps what it holds unless it holds more than its share (it
   * gives up its highest ids), and the shards of workers no longer live, or given up, go to the
   * workers below their share, lowest ids first. Workers that hold more keep the larger shares, so
   * as few shards as possible move.
   *
   * @param current worker id to its shards; workers missing from {@code live} are gone
   * @return live worker id to its sorted shard ids, in the order of {@code live}
   */
  public static Map<String, List<Integer>> rebalance(Map<String, List<Integer>> current,
      List<String> live, int shards) {
    int k = live.size();
    if (k == 0) throw new IllegalArgumentException("no workers to assign " + shards + " shards to");
    if (shards < k) {
      throw new IllegalArgumentException("--shards " + shards + " is fewer than the " + k
          + " workers: every worker needs a shard");
    }
    Map<String, TreeSet<Integer>> held = new LinkedHashMap<>();
    TreeSet<Integer> free = new TreeSet<>();
    for (int s = 0; s < shards; s++) free.add(s);
    for (String w : live) {
      TreeSet<Integer> mine = new TreeSet<>(current.getOrDefault(w, List.of()));
      mine.retainAll(free); // a shard listed twice stays with the first
      free.removeAll(mine);
      held.put(w, mine);
    }
    // the (S mod K) workers holding the most get the larger share
    List<String> bySize = new ArrayList<>(live);
    bySize.sort(Comparator.comparingInt((String w) -> held.get(w).size()).reversed());
    Map<String, Integer> share = new LinkedHashMap<>();
    for (int i = 0; i < k; i++) share.put(bySize.get(i), shards / k + (i < shards % k ? 1 : 0));
    for (String w : live) {
      TreeSet<Integer> mine = held.get(w);
      while (mine.size() > share.get(w)) free.add(mine.pollLast());
    }
    for (String w : live) {
      TreeSet<Integer> mine = held.get(w);
      while (mine.size() < share.get(w)) mine.add(free.pollFirst());
    }
    Map<String, List<Integer>> out = new LinkedHashMap<>();
    for (String w : live) out.put(w, List.copyOf(held.get(w)));
    return out;
  }
}
