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
}
