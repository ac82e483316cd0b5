package org.dtrain.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScalePlanTest {
  @Test
  void listsAndDoublingRanges() {
    assertEquals(List.of(1, 2, 4, 8), ScalePlan.parseList("--workers", "1,2,4,8", 64));
    assertEquals(List.of(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024),
        ScalePlan.parseList("--workers", "1..1024", 4096));
    assertEquals(List.of(3, 6, 10), ScalePlan.parseList("--workers", "3..10", 64));
    assertEquals(List.of(1, 5, 10, 20), ScalePlan.parseList("--workers", "1, 5..20", 64));
  }

  @Test
  void badListsNameTheFlagAndThePart() {
    for (String bad : List.of("", "0", "1,,2", "two", "4..2", "1..", "-1", "65", "1.5")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ScalePlan.parseList("--workers", bad, 64), bad);
      assertTrue(e.getMessage().startsWith("--workers: expected "), e.getMessage());
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void strongKeepsTheGlobalBatchWeakThePerWorkerBatch() {
    ScalePlan strong = ScalePlan.of(ScalePlan.Mode.STRONG, List.of(4, 1, 2, 2), List.of(64, 256), 16);
    assertEquals(List.of(1, 2, 4), strong.workers());
    assertEquals(List.of(new ScalePlan.Config(1, 16, 64), new ScalePlan.Config(2, 16, 64),
        new ScalePlan.Config(4, 16, 64), new ScalePlan.Config(1, 16, 256),
        new ScalePlan.Config(2, 16, 256), new ScalePlan.Config(4, 16, 256)), strong.configs());
    ScalePlan weak = ScalePlan.of(ScalePlan.Mode.WEAK, List.of(1, 2, 4), List.of(32), 16);
    assertEquals(List.of(32, 64, 128),
        weak.configs().stream().map(ScalePlan.Config::globalBatch).toList());
  }

  @Test
  void shardsRiseToTheMostWorkersSoEveryRowHasTheSameShards() {
    ScalePlan p = ScalePlan.of(ScalePlan.Mode.STRONG, List.of(1, 8, 32), List.of(256), 16);
    assertEquals(32, p.shards());
    assertTrue(p.configs().stream().allMatch(c -> c.shards() == 32));
  }

  @Test
  void modes() {
    assertEquals(ScalePlan.Mode.WEAK, ScalePlan.mode("weak"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScalePlan.mode("medium"));
    assertEquals("--mode: expected strong or weak, found 'medium'", e.getMessage());
  }
}
