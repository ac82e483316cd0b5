package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which worker hosts which shards: contiguous blocks, as even as possible, every shard once. */
class ShardAssignmentTest {
  private static List<String> workers(int k) {
    List<String> w = new ArrayList<>();
    for (int i = 0; i < k; i++) w.add("w" + i);
    return w;
  }

  @Test
  void contiguousBlocksInWorkerOrderCoveringEveryShardOnce() {
    for (int shards = 1; shards <= 20; shards++) {
      for (int k = 1; k <= shards; k++) {
        List<String> ws = workers(k);
        Map<String, List<Integer>> a = ShardAssignment.evenly(shards, ws);
        String where = shards + " shards on " + k + " workers: " + a;
        assertEquals(ws, List.copyOf(a.keySet()), where);
        int next = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (String w : ws) {
          List<Integer> ids = a.get(w);
          assertTrue(!ids.isEmpty(), "every worker hosts a shard; " + where);
          for (int id : ids) assertEquals(next++, id, "contiguous, ascending, no gaps; " + where);
          min = Math.min(min, ids.size());
          max = Math.max(max, ids.size());
        }
        assertEquals(shards, next, "every shard assigned exactly once; " + where);
        assertTrue(max - min <= 1, "sizes differ by at most one; " + where);
      }
    }
  }

  @Test
  void examples() {
    assertEquals(Map.of("a", List.of(0, 1, 2, 3, 4, 5, 6, 7)),
        ShardAssignment.evenly(8, List.of("a")));
    assertEquals(Map.of("a", List.of(0, 1), "b", List.of(2, 3, 4), "c", List.of(5, 6, 7)),
        ShardAssignment.evenly(8, List.of("a", "b", "c")));
    assertEquals(Map.of("a", List.of(0), "b", List.of(1), "c", List.of(2)),
        ShardAssignment.evenly(3, List.of("a", "b", "c")));
  }

  @Test
  void fewerShardsThanWorkersIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShardAssignment.evenly(2, workers(3)));
    assertTrue(e.getMessage().contains("--shards 2") && e.getMessage().contains("3 workers"),
        e.getMessage());
  }

  @Test
  void noWorkersIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> ShardAssignment.evenly(4, List.of()));
  }

  @Test
  void aLostWorkersShardsGoToTheLeastLoaded() {
    Map<String, List<Integer>> before = ShardAssignment.evenly(8, List.of("a", "b", "c"));
    assertEquals(Map.of("a", List.of(0, 1, 5, 6), "b", List.of(2, 3, 4, 7)),
        ShardAssignment.rebalance(before, List.of("a", "b"), 8));
  }

  @Test
  void aJoinerTakesTheHighestShardsOfTheOthers() {
    Map<String, List<Integer>> before = ShardAssignment.evenly(8, List.of("a", "b"));
    assertEquals(Map.of("a", List.of(0, 1, 2), "b", List.of(4, 5, 6), "c", List.of(3, 7)),
        ShardAssignment.rebalance(before, List.of("a", "b", "c"), 8));
  }

  @Test
  void anyChangeEndsEvenWithEveryShardOnceAndFewestMoves() {
    java.util.Random r = new java.util.Random(5);
    for (int round = 0; round < 2000; round++) {
      int shards = 1 + r.nextInt(40);
      List<String> all = workers(1 + r.nextInt(Math.min(shards, 8)));
      Map<String, List<Integer>> before = ShardAssignment.evenly(shards, all);
      List<String> live = new ArrayList<>();
      for (String w : all) if (r.nextInt(3) > 0) live.add(w);
      for (int j = r.nextInt(3); j > 0; j--) live.add("new" + j);
      if (live.isEmpty() || live.size() > shards) continue;
      Map<String, List<Integer>> after = ShardAssignment.rebalance(before, live, shards);
      assertEquals(live, new ArrayList<>(after.keySet()));
      List<Integer> seen = new ArrayList<>();
      int min = Integer.MAX_VALUE;
      int max = 0;
      int kept = 0;
      for (String w : live) {
        List<Integer> mine = after.get(w);
        seen.addAll(mine);
        min = Math.min(min, mine.size());
        max = Math.max(max, mine.size());
        for (int s : before.getOrDefault(w, List.of())) if (mine.contains(s)) kept++;
      }
      seen.sort(null);
      List<Integer> every = new ArrayList<>();
      for (int s = 0; s < shards; s++) every.add(s);
      assertEquals(every, seen, "every shard exactly once");
      assertTrue(max - min <= 1, "even: " + after);
      // fewest moves: a worker keeps all it holds up to its share
      int keepable = 0;
      List<String> bySize = new ArrayList<>(live);
      bySize.sort((x, y) -> before.getOrDefault(y, List.of()).size()
          - before.getOrDefault(x, List.of()).size());
      for (int i = 0; i < live.size(); i++) {
        int share = shards / live.size() + (i < shards % live.size() ? 1 : 0);
        keepable += Math.min(share, before.getOrDefault(bySize.get(i), List.of()).size());
      }
      assertEquals(keepable, kept, "shards kept where they were: " + before + " -> " + after);
    }
  }
}
