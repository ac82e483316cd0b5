package org.dtrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EpochSamplerTest {
  private static int[] rowsOf(EpochSampler.Slice s) {
    return Arrays.copyOfRange(s.rows(), s.from(), s.from() + s.count());
  }

  @Test
  void everyRowOnceAnEpochInEvenBatchesNoLargerThanTheBatchSize() {
    int rows = 150;
    int batch = 64;
    int T = EpochSampler.stepsPerEpoch(rows, batch);
    assertEquals(3, T);
    EpochSampler s = new EpochSampler(7, 0, rows, T, false);
    boolean[] seen = new boolean[rows];
    for (int j = 0; j < T; j++) {
      EpochSampler.Slice slice = s.rowsFor(0, j);
      assertEquals(50, slice.count(), "150 rows in 3 even steps");
      for (int r : rowsOf(slice)) {
        assertFalse(seen[r], "row " + r + " used twice");
        seen[r] = true;
      }
    }
    for (boolean b : seen) assertTrue(b);
  }

  @Test
  void batchesDependOnSeedShardAndEpochOnly() {
    EpochSampler a = new EpochSampler(3, 5, 100, 4, false);
    EpochSampler b = new EpochSampler(3, 5, 100, 4, false);
    b.rowsFor(9, 0); // b has visited another epoch first: history must not matter
    assertArrayEquals(rowsOf(a.rowsFor(2, 1)), rowsOf(b.rowsFor(2, 1)));
    EpochSampler otherShard = new EpochSampler(3, 6, 100, 4, false);
    assertFalse(Arrays.equals(rowsOf(a.rowsFor(2, 1)), rowsOf(otherShard.rowsFor(2, 1))));
    assertFalse(Arrays.equals(rowsOf(a.rowsFor(2, 1)), rowsOf(a.rowsFor(3, 1))),
        "a fresh shuffle every epoch");
  }

  @Test
  void fullBatchUsesEveryRowInOrderEveryStep() {
    EpochSampler s = new EpochSampler(1, 0, 10, 1, true);
    for (int e = 0; e < 3; e++) {
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, rowsOf(s.rowsFor(e, 0)));
    }
  }

  @Test
  void rejectsAStepOutsideTheEpoch() {
    EpochSampler s = new EpochSampler(1, 0, 10, 2, false);
    assertThrows(IllegalArgumentException.class, () -> s.rowsFor(0, 2));
  }

  @Test
  void shardPlanCutsContiguousNearlyEqualShards() {
    ShardPlan p = new ShardPlan(10, 3);
    assertEquals(0, p.start(0));
    assertEquals(3, p.size(0));
    assertEquals(3, p.size(1));
    assertEquals(4, p.size(2));
    assertEquals(10, p.start(3));
    var e = assertThrows(IllegalArgumentException.class, () -> new ShardPlan(2, 3));
    assertTrue(e.getMessage().contains("--shards 3"), e.getMessage());
  }
}
